"""Every figure the documents report, normalised to value, unit, qualifier and as-of date."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import DatePrecision, MetricQualifier, MetricUnit

# Exact on PostgreSQL (numeric); returned as float so JSON and CSV need no Decimal handling.
MetricValue = Numeric(20, 4, asdecimal=False)


class MetricSeries(Recorded, Base):
    """One measure reported over time ("cars in Northbound Travel"): its observations are
    the `metric` rows that point to it, one per report, each with its own quote."""

    __tablename__ = "metric_series"
    __table_args__ = (
        Index("ix_metric_series_area_id_id", "area_id", "id"),
        Index("ix_metric_series_unit_id", "unit", "id"),
        Index("ix_metric_series_initiative_id_id", "initiative_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(30), info={VOCABULARY: MetricUnit})
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="SET NULL"))
    # The document that first reported the measure (removing it removes the series).
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)


class Metric(Recorded, Provenance, Base):
    __tablename__ = "metric"
    __table_args__ = (
        quote_span_check(),
        Index("ix_metric_area_id_id", "area_id", "id"),
        Index("ix_metric_unit_id", "unit", "id"),
        Index("ix_metric_initiative_id_id", "initiative_id", "id"),
        Index("ix_metric_value_id", "value", "id"),
        # Covering: the summary of one area's figures reads the index only (migration 0003).
        Index("ix_metric_area_id_unit_value", "area_id", "unit", "value"),
        Index("ix_metric_series_id_as_of_end", "series_id", "as_of_end", "id"),
        # The latest figure of every series, for a summary of the whole table (migration 0006).
        Index(
            "ix_metric_latest_unit",
            "unit",
            "area_id",
            "as_of_end",
            "value",
            sqlite_where=text("latest_of_series = 1"),
            postgresql_where=text("latest_of_series"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("metric_series.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(MetricValue)
    previous_value: Mapped[float | None] = mapped_column(MetricValue)
    unit: Mapped[str] = mapped_column(String(30), info={VOCABULARY: MetricUnit})
    qualifier: Mapped[str] = mapped_column(String(20), index=True, info={VOCABULARY: MetricQualifier})
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="SET NULL"))
    # The date the figure is as of: the document's date unless the text gives a period.
    as_of_phrase: Mapped[str | None] = mapped_column(Text)
    as_of_start: Mapped[date] = mapped_column(Date, index=True)
    as_of_end: Mapped[date] = mapped_column(Date, index=True)
    as_of_precision: Mapped[str] = mapped_column(String(20), info={VOCABULARY: DatePrecision})
    as_of_edtf: Mapped[str] = mapped_column(String(40))
    # Derived: whether this is its series' latest figure (by as_of_end, then id), kept by
    # app/loader/periods.py, so a summary of every series needs no ranking of every figure.
    latest_of_series: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
