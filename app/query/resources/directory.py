"""/areas, /organisations, /officials and /places: who and what the facts are about."""

from sqlalchemy import select, union_all
from sqlalchemy.orm import aliased

from app.models import (
    Agreement,
    AgreementParty,
    Area,
    Document,
    Initiative,
    InitiativeOrganisation,
    Meeting,
    Metric,
    Official,
    Organisation,
    Participation,
    Place,
    Post,
    PostSource,
)
from app.query.filters import any_of, linked_slug_in
from app.query.resources.common import reference, source
from app.query.resources.metrics import metrics_of
from app.query.spec import Embed, Facet, ResourceSpec, SortKey

_INITIATIVE_SUMMARY = [
    Initiative.id,
    Initiative.slug,
    Initiative.title,
    Initiative.kind,
    Initiative.status,
]

AREAS = ResourceSpec(
    name="areas",
    singular="area",
    id_column=Area.id,
    slug_column=Area.slug,
    from_=Area.__table__,
    columns=[Area.id, Area.slug, Area.name, Area.summary, Area.heading],
    sort_keys={
        "id": SortKey(Area.id, int),
        "slug": SortKey(Area.slug, str),
        "name": SortKey(Area.name, str),
    },
    embeds={
        "initiatives": Embed(
            columns=_INITIATIVE_SUMMARY,
            parent=Initiative.area_id,
            from_=Initiative.__table__,
            order_by=[Initiative.id],
        ),
        "agreements": Embed(
            columns=[Agreement.id, Agreement.slug, Agreement.title, Agreement.kind],
            parent=Agreement.area_id,
            from_=Agreement.__table__,
            order_by=[Agreement.id],
        ),
        "metrics": metrics_of(Metric.area_id),
    },
)

_Parent = aliased(Organisation)

ORGANISATIONS = ResourceSpec(
    name="organisations",
    singular="organisation",
    id_column=Organisation.id,
    slug_column=Organisation.slug,
    from_=Organisation.__table__.join(Document, Document.id == Organisation.document_id).outerjoin(
        _Parent, _Parent.id == Organisation.parent_id
    ),
    columns=[
        Organisation.id,
        Organisation.slug,
        Organisation.name,
        Organisation.short_name,
        Organisation.jurisdiction,
        Organisation.kind,
        *reference(_Parent, "parent", "name"),
        *source(Organisation),
    ],
    filters={
        "jurisdiction": any_of(Organisation.jurisdiction),
        "kind": any_of(Organisation.kind),
    },
    sort_keys={
        "id": SortKey(Organisation.id, int),
        "slug": SortKey(Organisation.slug, str),
        "name": SortKey(Organisation.name, str),
        "jurisdiction": SortKey(Organisation.jurisdiction, str),
    },
    embeds={
        "initiatives": Embed(
            columns=[*_INITIATIVE_SUMMARY, InitiativeOrganisation.role],
            parent=InitiativeOrganisation.organisation_id,
            from_=InitiativeOrganisation.__table__.join(
                Initiative, Initiative.id == InitiativeOrganisation.initiative_id
            ),
            order_by=[Initiative.id],
        ),
        "agreements": Embed(
            columns=[Agreement.id, Agreement.slug, Agreement.title, Agreement.kind],
            parent=AgreementParty.organisation_id,
            from_=AgreementParty.__table__.join(Agreement, Agreement.id == AgreementParty.agreement_id),
            order_by=[Agreement.id],
        ),
        "officials": Embed(
            columns=[
                Official.id,
                Official.slug,
                Official.name,
                Official.honorific,
                Post.title,
                Post.acting,
            ],
            parent=Post.organisation_id,
            from_=Post.__table__.join(Official, Official.id == Post.official_id),
            order_by=[Official.id],
        ),
    },
    facets={"jurisdiction": Facet(Organisation.jurisdiction), "kind": Facet(Organisation.kind)},
)

# Every document naming an official in a post: the post's own (its first), then each further one.
_POST_SOURCES = union_all(
    select(Post.id.label("post_id"), Post.document_id, Post.quote, Post.quote_start, Post.quote_end),
    select(PostSource.post_id, PostSource.document_id, PostSource.quote, PostSource.quote_start, PostSource.quote_end),
).subquery("post_sources")
_PostDocument = aliased(Document)

OFFICIALS = ResourceSpec(
    name="officials",
    singular="official",
    id_column=Official.id,
    slug_column=Official.slug,
    from_=Official.__table__,
    columns=[Official.id, Official.slug, Official.name, Official.honorific],
    filters={
        "organisation": linked_slug_in(Official.id, Post.official_id, Post.organisation_id, Organisation),
        "meeting": linked_slug_in(Official.id, Participation.official_id, Participation.meeting_id, Meeting),
        "role": lambda roles: Official.id.in_(
            select(Participation.official_id).where(Participation.role.in_(list(roles)))
        ),
    },
    sort_keys={
        "id": SortKey(Official.id, int),
        "slug": SortKey(Official.slug, str),
        "name": SortKey(Official.name, str),
    },
    embeds={
        "posts": Embed(
            columns=[
                Post.id,
                Post.title,
                Post.acting,
                Post.held_from,
                Post.held_until,
                *reference(Organisation, "organisation", "name"),
                Post.quote.label("source__quote"),
                Post.quote_start.label("source__start"),
                Post.quote_end.label("source__end"),
            ],
            parent=Post.official_id,
            from_=Post.__table__.join(Organisation, Organisation.id == Post.organisation_id),
            order_by=[Post.held_from, Post.id],
            embeds={
                "sources": Embed(
                    columns=[
                        _PostDocument.slug.label("document__slug"),
                        _PostDocument.title.label("document__title"),
                        _PostDocument.published_on.label("document__published_on"),
                        _POST_SOURCES.c.quote,
                        _POST_SOURCES.c.quote_start.label("start"),
                        _POST_SOURCES.c.quote_end.label("end"),
                    ],
                    parent=_POST_SOURCES.c.post_id,
                    from_=_POST_SOURCES.join(_PostDocument, _PostDocument.id == _POST_SOURCES.c.document_id),
                    order_by=[_PostDocument.published_on, _PostDocument.id],
                )
            },
        ),
        "participations": Embed(
            columns=[
                Participation.role,
                Participation.side,
                *reference(Meeting, "meeting", "name", "held_on"),
                Participation.quote.label("source__quote"),
                Participation.quote_start.label("source__start"),
                Participation.quote_end.label("source__end"),
            ],
            parent=Participation.official_id,
            from_=Participation.__table__.join(Meeting, Meeting.id == Participation.meeting_id),
            order_by=[Participation.id],
        ),
    },
)

_ParentPlace = aliased(Place)

PLACES = ResourceSpec(
    name="places",
    singular="place",
    id_column=Place.id,
    slug_column=Place.slug,
    from_=Place.__table__.join(Document, Document.id == Place.document_id).outerjoin(
        _ParentPlace, _ParentPlace.id == Place.parent_id
    ),
    columns=[
        Place.id,
        Place.slug,
        Place.name,
        Place.kind,
        *reference(_ParentPlace, "parent", "name"),
        *source(Place),
    ],
    filters={"kind": any_of(Place.kind)},
    sort_keys={
        "id": SortKey(Place.id, int),
        "slug": SortKey(Place.slug, str),
        "name": SortKey(Place.name, str),
    },
    facets={"kind": Facet(Place.kind)},
)
