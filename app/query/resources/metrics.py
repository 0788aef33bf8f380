"""/metrics: every figure the documents report, each an observation of a series."""

from datetime import date

from app.models import Area, Document, Initiative, Metric, MetricSeries
from app.query.filters import any_of, at_least, at_most, slug_in
from app.query.resources.common import area_reference, reference, source
from app.query.spec import Facet, ResourceSpec, SortKey, SqlColumn

METRIC_COLUMNS: list[SqlColumn] = [
    Metric.id,
    Metric.slug,
    Metric.label,
    Metric.value,
    Metric.previous_value,
    Metric.unit,
    Metric.qualifier,
    Metric.as_of_phrase.label("as_of__phrase"),
    Metric.as_of_start.label("as_of__start"),
    Metric.as_of_end.label("as_of__end"),
    Metric.as_of_precision.label("as_of__precision"),
    Metric.as_of_edtf.label("as_of__edtf"),
]

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
        "area": Facet(Area.slug),
        "unit": Facet(Metric.unit),
        "qualifier": Facet(Metric.qualifier),
    },
)
