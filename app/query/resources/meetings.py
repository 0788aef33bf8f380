"""/meetings and /documents: the events and the texts every fact comes from."""

from datetime import date

from sqlalchemy import func

from app.models import Agreement, Document, Meeting, Official, Participation
from app.query.filters import any_of, at_least, at_most
from app.query.resources.common import reference, source
from app.query.spec import Embed, ResourceSpec, SortKey

MEETINGS = ResourceSpec(
    name="meetings",
    singular="meeting",
    id_column=Meeting.id,
    slug_column=Meeting.slug,
    from_=Meeting.__table__.join(Document, Document.id == Meeting.document_id),
    columns=[
        Meeting.id,
        Meeting.slug,
        Meeting.ordinal,
        Meeting.name,
        Meeting.held_on,
        Meeting.city,
        *source(Meeting),
    ],
    filters={
        "city": any_of(Meeting.city),
        "held_from": at_least(Meeting.held_on),
        "held_to": at_most(Meeting.held_on),
    },
    sort_keys={
        "id": SortKey(Meeting.id, int),
        "slug": SortKey(Meeting.slug, str),
        "held_on": SortKey(Meeting.held_on, date),
        "ordinal": SortKey(Meeting.ordinal, int),
    },
    embeds={
        "participants": Embed(
            columns=[
                Participation.role,
                Participation.side,
                *reference(Official, "official", "name", "honorific"),
                Participation.quote.label("source__quote"),
                Participation.quote_start.label("source__start"),
                Participation.quote_end.label("source__end"),
            ],
            parent=Participation.meeting_id,
            from_=Participation.__table__.join(Official, Official.id == Participation.official_id),
            order_by=[Participation.id],
        ),
        "agreements": Embed(
            columns=[Agreement.id, Agreement.slug, Agreement.title, Agreement.kind],
            parent=Agreement.meeting_id,
            from_=Agreement.__table__,
            order_by=[Agreement.id],
        ),
    },
)

DOCUMENTS = ResourceSpec(
    name="documents",
    singular="document",
    id_column=Document.id,
    slug_column=Document.slug,
    from_=Document.__table__,
    columns=[
        Document.id,
        Document.slug,
        Document.title,
        Document.issuer,
        Document.published_on,
        Document.url,
        Document.sha256,
        func.length(Document.text).label("length"),
    ],
    detail_columns=[Document.text],
    filters={
        "published_from": at_least(Document.published_on),
        "published_to": at_most(Document.published_on),
    },
    sort_keys={
        "id": SortKey(Document.id, int),
        "slug": SortKey(Document.slug, str),
        "published_on": SortKey(Document.published_on, date),
    },
)
