"""SVG pictures drawn with matplotlib (its SVG backend, no display needed): the timeline's
milestones with their windows, and a metric series over time. Each chart names its title, its
units and its sources on the picture itself, and marks each record with an SVG id
(`milestone-<slug>`, `observation-<slug>`), so a reader or a test can find them.

matplotlib is imported on first use: most processes never draw, and its import costs a fifth of
a second at start-up."""

import io
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

SVG_MEDIA_TYPE = "image/svg+xml"
# One row per milestone: the picture grows with them, within bounds.
ROW_INCHES = 0.28
KIND_COLOURS = {"happened": "#4c78a8", "scheduled": "#f58518", "target": "#e45756"}
WIDTH_INCHES = 10.0


@cache
def _matplotlib() -> Any:
    """matplotlib set up once for this process: SVG text kept as text (searchable, accessible) and
    ids that do not change from one drawing to the next."""
    import matplotlib

    matplotlib.use("Agg")  # never a display backend, whatever the environment says
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "coop", "font.size": 9})
    return matplotlib


# Fixed margins, in inches (matplotlib's automatic layouts measure every label: a third of the
# drawing time of a long timeline): the title above, the axis label and the sources below.
TOP_INCHES, BOTTOM_INCHES, RIGHT_INCHES = 0.45, 0.8, 0.25


def _figure(height: float, left_inches: float) -> Any:
    _matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.subplots_adjust(
        left=left_inches / WIDTH_INCHES,
        right=1 - RIGHT_INCHES / WIDTH_INCHES,
        top=1 - TOP_INCHES / height,
        bottom=BOTTOM_INCHES / height,
    )
    return figure


def _svg(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _sources(figure: Any, documents: Sequence[dict[str, Any]]) -> None:
    names = "; ".join(f"{d['title']} ({d['issuer']}, {d['published_on']:%d %B %Y})" for d in documents)
    figure.text(0.01, 0.01, f"Source: {names}", ha="left", va="bottom", fontsize=7, color="#555555", gid="source")


def timeline_svg(
    milestones: Sequence[dict[str, Any]], documents: Sequence[dict[str, Any]], today: date, more: bool
) -> bytes:
    """One row per milestone, top to bottom in date order: a bar over its window (earliest to
    latest possible day), running to the right edge when open-ended; a line at today."""
    from matplotlib.dates import date2num

    figure = _figure(max(2.5, TOP_INCHES + BOTTOM_INCHES + ROW_INCHES * len(milestones)), left_inches=3.3)
    axes = figure.add_subplot()
    title = "Hong Kong/Guangdong co-operation: what happened and what is due"
    if more:
        title += f" (the first {len(milestones)}; more on the next page)"
    figure.suptitle(title, x=0.01, ha="left", gid="title")
    if milestones:
        first = min(m["start"] for m in milestones)
        last = max([m["end"] or m["start"] for m in milestones] + [today])
        span = max((last - first).days, 60)
        right = date2num(last + timedelta(days=max(30, span // 20)))
        for row, milestone in enumerate(milestones):
            start = date2num(milestone["start"])
            end = right if milestone["end"] is None else date2num(milestone["end"] + timedelta(days=1))
            (bar,) = axes.barh(
                row,
                max(end - start, span / 150),  # a day is a visible tick, not nothing
                left=start,
                height=0.6,
                color=KIND_COLOURS[milestone["kind"]],
                hatch="//" if milestone["end"] is None else None,
                alpha=0.85,
            )
            bar.set_gid(f"milestone-{milestone['slug']}")
            bar.set_label(milestone["kind"])
        axes.set_yticks(
            range(len(milestones)), [_short(f"{m['label']} ({m['phrase']})") for m in milestones], fontsize=7
        )
        axes.set_ylim(len(milestones) - 0.5, -0.5)
        axes.set_xlim(date2num(first) - 15, right)
        axes.xaxis_date()
        axes.axvline(date2num(today), color="#333333", linewidth=0.8, linestyle="--", gid="today")
        axes.text(date2num(today), -0.45, f"today {today.isoformat()} ", ha="right", va="top", fontsize=7)
        handles = {h.get_label(): h for h in axes.patches}
        axes.legend(
            [handles[k] for k in KIND_COLOURS if k in handles],
            [k for k in KIND_COLOURS if k in handles],
            loc="lower right",
            fontsize=7,
        )
    else:
        axes.text(0.5, 0.5, "No milestone matches these filters.", ha="center", transform=axes.transAxes)
    axes.set_xlabel("Date (bars: earliest to latest possible day; hatched: open-ended)")
    _sources(figure, documents)
    return _svg(figure)


def series_svg(series: dict[str, Any], documents: Sequence[dict[str, Any]]) -> bytes:
    """The series' observations in date order (by the end of their as-of period), each a marker
    labelled with its value as the text words it ("over 65 000"), joined by a line."""
    from matplotlib.dates import date2num

    observations = series["observations"]
    figure = _figure(4.5, left_inches=0.9)
    axes = figure.add_subplot()
    figure.suptitle(series["label"], x=0.01, ha="left", gid="title")
    xs = [date2num(o["as_of"]["end"]) for o in observations]
    ys = [o["value"] for o in observations]
    axes.plot(xs, ys, color="#4c78a8", linewidth=1.2, gid="series-line")
    for x, y, observation in zip(xs, ys, observations, strict=True):
        axes.plot([x], [y], marker="o", color="#4c78a8", gid=f"observation-{observation['slug']}")
        axes.annotate(
            _worded(observation["value"], observation["qualifier"]),
            (x, y),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    axes.xaxis_date()
    axes.set_ylim(bottom=0, top=max(ys) * 1.2 if ys and max(ys) > 0 else 1)
    if len(xs) == 1:
        axes.set_xlim(xs[0] - 180, xs[0] + 180)
    axes.set_ylabel(series["unit_label"], gid="unit")
    axes.set_xlabel("As of (the end of the period each figure is reported for)")
    _sources(figure, documents)
    return _svg(figure)


QUALIFIER_WORDS = {"exact": "", "about": "about ", "over": "over ", "more_than": "more than ", "at_least": "at least "}


def _worded(value: float, qualifier: str) -> str:
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return QUALIFIER_WORDS.get(qualifier, qualifier.replace("_", " ") + " ") + number.replace(",", " ")


def _short(text: str, length: int = 55) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
