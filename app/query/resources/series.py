"""/metrics/series: each measure reported over time, with its latest observation; the
detail lists every observation in date order, each with its quote."""

from sqlalchemy import func, select

from app.models import Area, Document, Initiative, Metric, MetricSeries
from app.query.filters import any_of, linked_slug_in, slug_in
from app.query.resources.common import area_reference, reference
from app.query.resources.metrics import METRIC_COLUMNS
from app.query.spec import Embed, Facet, ResourceSpec, SearchThrough, SortKey
from app.query.units import unit_columns

# Observations in date order: the as-of period's end, then the order they were recorded.
OBSERVATION_ORDER = (Metric.as_of_end, Metric.id)

_observation = Metric.__table__.alias("observation")
_latest = Metric.__table__.alias("latest")
_latest_document = Document.__table__.alias("latest_document")

# One index seek per series (ix_metric_series_id_as_of_end), however long the series.
_latest_id = (
    select(_observation.c.id)
    .where(_observation.c.series_id == MetricSeries.id)
    .order_by(_observation.c.as_of_end.desc(), _observation.c.id.desc())
    .limit(1)
    .correlate(MetricSeries)
    .scalar_subquery()
)
_observation_count = (
    select(func.count())
    .select_from(_observation)
    .where(_observation.c.series_id == MetricSeries.id)
    .correlate(MetricSeries)
    .scalar_subquery()
)

SERIES = ResourceSpec(
    name="metric_series",
    singular="series",
    id_column=MetricSeries.id,
    slug_column=MetricSeries.slug,
    from_=MetricSeries.__table__.join(Area, Area.id == MetricSeries.area_id)
    .outerjoin(Initiative, Initiative.id == MetricSeries.initiative_id)
    .join(_latest, _latest.c.id == _latest_id)
    .join(_latest_document, _latest_document.c.id == _latest.c.document_id),
    count_from=MetricSeries.__table__.join(Area, Area.id == MetricSeries.area_id),
    columns=[
        MetricSeries.id,
        MetricSeries.slug,
        MetricSeries.label,
        MetricSeries.unit,
        *unit_columns(MetricSeries.unit),
        *area_reference(),
        *reference(Initiative, "initiative", "title"),
        _observation_count.label("observation_count"),
        _latest.c.slug.label("latest__slug"),
        _latest.c.value.label("latest__value"),
        _latest.c.qualifier.label("latest__qualifier"),
        _latest.c.as_of_start.label("latest__as_of__start"),
        _latest.c.as_of_end.label("latest__as_of__end"),
        _latest_document.c.slug.label("latest__document"),
    ],
    filters={
        "area": slug_in(MetricSeries.area_id, Area),
        "unit": any_of(MetricSeries.unit),
        "initiative": slug_in(MetricSeries.initiative_id, Initiative),
        # Series with an observation from these documents.
        "document": linked_slug_in(MetricSeries.id, Metric.series_id, Metric.document_id, Document),
    },
    sort_keys={
        "id": SortKey(MetricSeries.id, int),
        "slug": SortKey(MetricSeries.slug, str),
        "label": SortKey(MetricSeries.label, str),
        "unit": SortKey(MetricSeries.unit, str),
    },
    embeds={
        "observations": Embed(
            columns=[
                *METRIC_COLUMNS,
                Document.slug.label("source__document"),
                Document.title.label("source__document_title"),
                Document.published_on.label("source__published_on"),
                Metric.quote.label("source__quote"),
                Metric.quote_start.label("source__start"),
                Metric.quote_end.label("source__end"),
            ],
            parent=Metric.series_id,
            from_=Metric.__table__.join(Document, Document.id == Metric.document_id),
            order_by=OBSERVATION_ORDER,
        ),
    },
    facets={
        "area": Facet(Area.slug, name=Area.name),
        "unit": Facet(MetricSeries.unit),
    },
    # A series has no search entries of its own: it matches when one of its observations does.
    search_through=SearchThrough("metrics", record_id=Metric.id, own_id=Metric.series_id),
)
