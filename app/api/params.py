"""Typed query parameters: each resource declares its filters as a pydantic model; the
list controls (paging, sort, search, embeds, facets, format) are added from its spec.
Unknown parameters are refused (extra="forbid"), so none is ever silently ignored, and a
spec and its filter model are checked against each other when the routes are registered."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from app.api.formats import Format
from app.query.engine import ListRequest
from app.query.errors import InvalidParameter
from app.query.spec import ResourceSpec

QuerySlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
SlugList = Annotated[list[QuerySlug], Field(max_length=50)]
# Free text compared with stored values: no control characters (PostgreSQL text cannot even hold NUL).
QueryText = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]+$")]

# The general parameters of every collection (a resource's filters are named in its spec).
CONTROL_NAMES = (
    "limit",
    "cursor",
    "sort",
    "q",
    "include",
    "facets",
    "count",
    "format",
    "bom",
    "as_of",
    "known_at",
)


class Filters(BaseModel):
    """Base of every resource's filter model."""

    model_config = ConfigDict(extra="forbid")


class FilterMismatch(TypeError):
    """A resource's spec and its query model disagree about its filters."""


def check_filters(spec: ResourceSpec, model: type[BaseModel], general: Iterable[str] = ()) -> None:
    """Every filter of the spec is a parameter of the model (else no request could use it), and
    every parameter of the model is a filter of the spec or one of the `general` parameters
    (else its value would be ignored); a filter may not take a general parameter's name."""
    filters = set(spec.filters) | set(spec.computed_filters)
    parameters, general = set(model.model_fields), set(general)
    problems = [f"filter {name!r} has no query parameter in {model.__name__}" for name in sorted(filters - parameters)]
    problems += [
        f"query parameter {name!r} of {model.__name__} is no filter of the spec"
        for name in sorted(parameters - filters - general)
    ]
    problems += [f"filter {name!r} has the name of a general parameter" for name in sorted(filters & general)]
    if problems:
        raise FilterMismatch(f"resource {spec.name!r}: " + "; ".join(problems))


def slugs(description: str, example: str) -> Any:
    return Field(default_factory=list, description=description, examples=[[example]])


def limit_field() -> Any:
    """`limit`, as every paged response takes it."""
    return Field(50, ge=1, le=500, description="Page size (1-500).", examples=[20])


def cursor_field() -> Any:
    """`cursor`, as every paged response takes it."""
    return Field(None, max_length=2048, description="Opaque cursor from `next_cursor` or the Link header.")


def as_of_field(spec: ResourceSpec) -> Any:
    """`as_of`: the effective-date axis of the register's history (docs/VOCABULARY.md)."""
    if spec.history is None:
        return Field(None, description=f"Date for {_dated_fields(spec)} (default: today).", examples=["2024-12-31"])
    return Field(
        None,
        description=f"Read the register as it stood on this date: {spec.as_of_reads} as of then, by the "
        "effective dates of what the documents report (a statement counts from the day by which it "
        "certainly held: 'in March 2025' from 2025-03-31), using everything the register knows, or, with "
        "`known_at`, what was published by then. Default: today, from the current state.",
        examples=["2025-06-30"],
    )


def known_at_field() -> Any:
    """`known_at`: the publication axis of the register's history."""
    return Field(
        None,
        description="Read the register as it would have answered on this date: only what documents "
        "published by then said; records first reported later are left out (their detail is a 404 "
        "saying when they were first reported). `as_of` defaults to it.",
        examples=["2025-06-30"],
    )


def date_fields(spec: ResourceSpec, *, detail: bool = False) -> dict[str, Any]:
    """The dates a resource is read as of: `as_of` and `known_at` for a resource with a history,
    `as_of` alone for one with computed columns. A detail takes `as_of` only if it changes the
    record (its history has computed columns): a parameter is never silently ignored."""
    fields: dict[str, Any] = {}
    if spec.reads_a_date or (spec.history is not None and (spec.history.computed or not detail)):
        fields["as_of"] = (date | None, as_of_field(spec))
    if spec.history is not None:
        fields["known_at"] = (date | None, known_at_field())
    return fields


def detail_query_model(spec: ResourceSpec) -> type[BaseModel]:
    """The query parameters of a resource's detail: the dates it may be read as of, nothing else."""
    return create_model(
        f"{spec.singular.title()}DetailQuery",
        __config__=ConfigDict(extra="forbid"),
        **date_fields(spec, detail=True),
    )


def _check_as_of_reads_something(spec: ResourceSpec, as_of: date | None, include: tuple[str, ...]) -> None:
    """A resource read as it stands takes `as_of` for what its embeds compute: without such an
    embed, the date would change nothing, and a parameter is never silently ignored."""
    if as_of is None or spec.history is not None or spec.computed:
        return
    dated = [name for name, embed in spec.embeds.items() if embed.computed]
    if not any(name in include for name in dated):
        raise InvalidParameter(
            f"as_of dates what the embedded {' or '.join(dated)} compute: add include={dated[0]}.",
            parameter="as_of",
        )


def _dated_fields(spec: ResourceSpec) -> str:
    """What a date changes in a resource without a history: its computed columns, and those of its embeds."""
    own = [f"`{name}`" for name in spec.computed]
    embedded = [f"the embedded {embed}' `{name}`" for embed, e in spec.embeds.items() for name in e.computed]
    return ", ".join(own + embedded)


def _names(names: Any) -> str:
    return ", ".join(f"`{name}`" for name in names)


def list_query_model(spec: ResourceSpec, filters: type[Filters]) -> type[BaseModel]:
    check_filters(spec, filters)  # a filter model holds filters only
    fields: dict[str, Any] = {
        "limit": (int, limit_field()),
        "cursor": (str | None, cursor_field()),
        "sort": (
            str | None,
            Field(
                None,
                pattern=spec.sort_pattern,
                description=f"Comma-separated keys, `-` for descending. Keys: {_names(spec.sort_keys)}.",
                examples=[f"-{next(k for k in spec.sort_keys if k != 'id')},id" if len(spec.sort_keys) > 1 else "id"],
            ),
        ),
        "q": (
            str | None,
            Field(
                None,
                min_length=1,
                max_length=200,
                description='Full-text search with English stemming: words (all must match), "a phrase", '
                "prefix*, a OR b.",
                examples=["hydrogen"],
            ),
        ),
        "count": (
            Literal["exact"] | None,
            Field(None, description="`exact` adds `total`, the size of the filtered set.", examples=["exact"]),
        ),
        "format": (
            Format | None,
            Field(
                None,
                description="Representation; also negotiable with Accept. "
                "CSV and NDJSON stream the whole filtered set.",
            ),
        ),
        "bom": (
            bool,
            Field(
                False,
                description="CSV only: start with a UTF-8 byte order mark (for spreadsheets).",
                examples=[True],
            ),
        ),
    }
    if spec.embeds:
        fields["include"] = (
            str | None,
            Field(
                None,
                pattern=spec.include_pattern,
                description=f"Embed related records: {_names(spec.embeds)}.",
                examples=[next(iter(spec.embeds))],
            ),
        )
    if spec.facets:
        fields["facets"] = (
            str | None,
            Field(
                None,
                pattern=spec.facet_pattern,
                description=f"Counts per value over the filtered set: {_names(spec.facets)}.",
                examples=[next(iter(spec.facets))],
            ),
        )
    fields.update(date_fields(spec))
    model: type[BaseModel] = create_model(f"{spec.singular.title()}Query", __base__=filters, **fields)
    check_filters(spec, model, general=CONTROL_NAMES)
    return model


def list_request(spec: ResourceSpec, params: BaseModel) -> ListRequest:
    values = params.model_dump()
    include = tuple((values.get("include") or "").split(",")) if values.get("include") else ()
    _check_as_of_reads_something(spec, values.get("as_of"), include)
    present = {k: v for k, v in values.items() if k not in CONTROL_NAMES and v not in (None, [])}
    return ListRequest(
        filters={k: v for k, v in present.items() if k in spec.filters},
        computed_filters={k: v for k, v in present.items() if k in spec.computed_filters},
        q=values.get("q"),
        sort=values.get("sort"),
        limit=values["limit"],
        cursor=values.get("cursor"),
        include=include,
        facets=tuple(values["facets"].split(",")) if values.get("facets") else (),
        count=values.get("count") == "exact",
        as_of=values.get("as_of"),
        known_at=values.get("known_at"),
    )
