"""/metrics: every figure the documents report, each an observation of a series; and those
reported by a date, as of a date."""

from dataclasses import replace
from datetime import date

from sqlalchemy import ColumnElement, and_

from app.models import Area, Document, Initiative, Metric, MetricSeries
from app.query import dated
from app.query.filters import any_of, at_least, at_most, slug_in
from app.query.resources.common import area_reference, reference, source
from app.query.spec import Embed, Facet, ResourceSpec, SortKey, SqlColumn
from app.query.units import unit_columns

METRIC_COLUMNS: list[SqlColumn] = [
    Metric.id,
    Metric.slug,
    Metric.label,
    Metric.value,
    Metric.previous_value,
    Metric.unit,
    *unit_columns(Metric.unit),
    Metric.qualifier,
    Metric.as_of_phrase.label("as_of__phrase"),
    Metric.as_of_start.label("as_of__start"),
    Metric.as_of_end.label("as_of__end"),
    Metric.as_of_precision.label("as_of__precision"),
    Metric.as_of_edtf.label("as_of__edtf"),
]


def _in_the_history(document: type[Document] | Document) -> ColumnElement[bool]:
    """A figure the register held on `as_of` by what was published by `known_at`: reported by
    then, and as of a period that ended by `as_of` (the interval rule of `as_of_to`)."""
    return and_(document.published_on <= dated.known_at(), Metric.as_of_end <= dated.as_of())


def metrics_of(parent: SqlColumn, *, known: bool = False) -> Embed:
    """A record's figures; from the history, only those it held as of the date."""
    # Each with its quote: a figure is never shown without the words it comes from.
    columns = [*METRIC_COLUMNS, *source(Metric)]
    with_document = Metric.__table__.join(Document, Document.id == Metric.document_id)
    if not known:
        return Embed(columns=columns, parent=parent, from_=with_document, order_by=[Metric.id])
    return Embed(
        columns=columns,
        parent=parent,
        from_=with_document,
        order_by=[Metric.id],
        where=_in_the_history(Document),
    )


METRICS = ResourceSpec(
    name="metrics",
    singular="metric",
    id_column=Metric.id,
    slug_column=Metric.slug,
    from_=Metric.__table__.join(Area, Area.id == Metric.area_id)
    .join(MetricSeries, MetricSeries.id == Metric.series_id)
    .join(Document, Document.id == Metric.document_id)
    .outerjoin(Initiative, Initiative.id == Metric.initiative_id),
    count_from=Metric.__table__.join(Area, Area.id == Metric.area_id),
    columns=[
        *METRIC_COLUMNS,
        MetricSeries.slug.label("series"),
        *area_reference(),
        *reference(Initiative, "initiative", "title"),
        *source(Metric),
    ],
    filters={
        "area": slug_in(Metric.area_id, Area),
        "unit": any_of(Metric.unit),
        "qualifier": any_of(Metric.qualifier),
        "initiative": slug_in(Metric.initiative_id, Initiative),
        "document": slug_in(Metric.document_id, Document),
        "series": slug_in(Metric.series_id, MetricSeries),
        "value_min": at_least(Metric.value),
        "value_max": at_most(Metric.value),
        "as_of_from": at_least(Metric.as_of_start),
        "as_of_to": at_most(Metric.as_of_end),
    },
    sort_keys={
        "id": SortKey(Metric.id, int),
        "slug": SortKey(Metric.slug, str),
        "label": SortKey(Metric.label, str),
        "value": SortKey(Metric.value, float),
        "unit": SortKey(Metric.unit, str),
        "as_of": SortKey(Metric.as_of_end, date),
    },
    facets={
        "area": Facet(Area.slug, name=Area.name),
        "unit": Facet(Metric.unit),
        "qualifier": Facet(Metric.qualifier),
    },
    first_reported=Document.published_on,
    as_of_reads="which figures are listed: those as of a period that ended by then",
)

METRICS = replace(
    METRICS,
    history=replace(METRICS, variant="history", count_from=None, where=_in_the_history(Document)),
)
