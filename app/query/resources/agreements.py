"""/agreements: agreements, memoranda and arrangements, with their parties."""

from datetime import date

from app.models import (
    Agreement,
    AgreementParty,
    Area,
    Document,
    Initiative,
    Meeting,
    Milestone,
    Organisation,
)
from app.query.filters import any_of, at_least, at_most, linked_slug_in, slug_in
from app.query.resources.common import area_reference, reference, source
from app.query.resources.milestones import milestones_of
from app.query.spec import Embed, Facet, ResourceSpec, SortKey

AGREEMENTS = ResourceSpec(
    name="agreements",
    singular="agreement",
    id_column=Agreement.id,
    slug_column=Agreement.slug,
    from_=Agreement.__table__.join(Area, Area.id == Agreement.area_id)
    .join(Document, Document.id == Agreement.document_id)
    .outerjoin(Meeting, Meeting.id == Agreement.meeting_id)
    .outerjoin(Initiative, Initiative.id == Agreement.initiative_id),
    count_from=Agreement.__table__.join(Area, Area.id == Agreement.area_id),
    columns=[
        Agreement.id,
        Agreement.slug,
        Agreement.title,
        Agreement.kind,
        Agreement.signed_phrase.label("signed__phrase"),
        Agreement.signed_start.label("signed__start"),
        Agreement.signed_end.label("signed__end"),
        Agreement.signed_precision.label("signed__precision"),
        Agreement.signed_edtf.label("signed__edtf"),
        *area_reference(),
        *reference(Meeting, "meeting", "name", "held_on"),
        *reference(Initiative, "initiative", "title"),
        *source(Agreement),
    ],
    filters={
        "area": slug_in(Agreement.area_id, Area),
        "kind": any_of(Agreement.kind),
        "organisation": linked_slug_in(
            Agreement.id, AgreementParty.agreement_id, AgreementParty.organisation_id, Organisation
        ),
        "meeting": slug_in(Agreement.meeting_id, Meeting),
        "document": slug_in(Agreement.document_id, Document),
        "signed_from": at_least(Agreement.signed_start),
        "signed_to": at_most(Agreement.signed_end),
    },
    sort_keys={
        "id": SortKey(Agreement.id, int),
        "slug": SortKey(Agreement.slug, str),
        "title": SortKey(Agreement.title, str),
        "kind": SortKey(Agreement.kind, str),
        "signed": SortKey(Agreement.signed_start, date, nullable=True),
    },
    embeds={
        "parties": Embed(
            columns=[
                Organisation.id,
                Organisation.slug,
                Organisation.name,
                Organisation.short_name,
                Organisation.jurisdiction,
            ],
            parent=AgreementParty.agreement_id,
            from_=AgreementParty.__table__.join(Organisation, Organisation.id == AgreementParty.organisation_id),
            order_by=[Organisation.id],
        ),
        "milestones": milestones_of(Milestone.agreement_id),
    },
    facets={"area": Facet(Area.slug, name=Area.name), "kind": Facet(Agreement.kind)},
)
