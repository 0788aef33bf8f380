"""Typed query parameters: each resource declares its filters as a pydantic model; the
list controls (paging, sort, search, embeds, facets, format) are added from its spec.
Unknown parameters are refused (extra="forbid"), so none is ever silently ignored, and a
spec and its filter model are checked against each other when the routes are registered."""

from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator

from app.api.formats import Format
from app.query.engine import ListRequest
from app.query.errors import InvalidParameter
from app.query.filters import SlugFilter
from app.query.spec import ResourceSpec
from app.query.suggestions import closest, did_you_mean

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QuerySlug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
SlugList = Annotated[list[QuerySlug], Field(max_length=50)]
# Free text compared with stored values: no control characters (PostgreSQL text cannot even hold NUL).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]+$"
QueryText = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=TEXT_PATTERN)]

# The general parameters of every collection (a resource's filters are named in its spec).
CONTROL_NAMES = (
    "limit",
    "cursor",
    "sort",
    "q",
    "include",
    "facets",
    "facets_zero",
    "count",
    "format",
    "bom",
    "as_of",
    "known_at",
)


def _splits_at_commas(annotation: Any) -> bool:
    """A list of slugs or of a vocabulary's values: neither holds a comma, so one splits safely
    (free text, such as a city's name, may hold one and is never split)."""
    if get_origin(annotation) is not list:
        return False
    (item,) = get_args(annotation)
    return item == QuerySlug or (isinstance(item, type) and issubclass(item, Enum))


class CommaLists(BaseModel):
    """A query model whose repeatable parameters of slugs or vocabulary values also take a
    comma-separated list, as `sort`, `include` and `facets` do: `area=a,b` is `area=a&area=b`.

    It may also take old names of parameters, listed in `renamed` (old name -> new name)."""

    model_config = ConfigDict(extra="forbid")
    renamed: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _read_names_and_commas(cls, data: Any) -> Any:
        # One validator for both (each costs a Python call per request), and nothing to do for
        # most requests: no old name, no comma.
        if not isinstance(data, dict):
            return data
        if cls.renamed and cls.renamed.keys() & data.keys():
            data = _take_old_names(data, cls.renamed)
        split = {}
        for name in _comma_lists(cls) & data.keys():
            values = data[name] if isinstance(data[name], list) else [data[name]]
            if any(isinstance(value, str) and "," in value for value in values):
                split[name] = [part for value in values for part in _parts(value)]
        return {**data, **split} if split else data


def _take_old_names(data: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """A value given by its old name is the new name's (both at once would be a guess)."""
    data = dict(data)
    for old, new in renamed.items():
        if old in data:
            if new in data:
                raise InvalidParameter(f"{old} is the old name of {new}: give {new} only.", parameter=old)
            data[new] = data.pop(old)
    return data


def _parts(value: Any) -> list[Any]:
    return value.split(",") if isinstance(value, str) else [value]


@cache
def _comma_lists(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        info.alias or name for name, info in model.model_fields.items() if _splits_at_commas(info.annotation)
    )


class Filters(CommaLists):
    """Base of every resource's filter model.

    Date ranges are named `<date>_from` and `<date>_to`, both inclusive (README, "Parameters").
    A filter renamed to follow that keeps its old name for a release, as a deprecated alias:
    declared with renamed_field() and listed in `renamed` (old name -> new name)."""


def renamed_field(new: str, example: str) -> Any:
    """The old name of filter `new`, still taken for this release (deprecated in OpenAPI)."""
    return Field(
        None,
        examples=[example],
        deprecated=f"Renamed {new}; this name is taken until the next release.",
        description=f"Deprecated: the old name of `{new}`, which takes the same values.",
    )


class FilterMismatch(TypeError):
    """A resource's spec and its query model disagree about its filters."""


def check_filters(spec: ResourceSpec, model: type[BaseModel], general: Iterable[str] = ()) -> None:
    """Every filter of the spec is a parameter of the model (else no request could use it), and
    every parameter of the model is a filter of the spec or one of the `general` parameters
    (else its value would be ignored); a filter may not take a general parameter's name."""
    filters = set(spec.filters) | set(spec.computed_filters)
    renamed = getattr(model, "renamed", {})
    filters |= {old for old, new in renamed.items() if new in filters}  # old names of filters
    parameters, general = set(model.model_fields), set(general)
    problems = [f"filter {name!r} has no query parameter in {model.__name__}" for name in sorted(filters - parameters)]
    problems += [
        f"query parameter {name!r} of {model.__name__} is no filter of the spec"
        for name in sorted(parameters - filters - general)
    ]
    problems += [f"filter {name!r} has the name of a general parameter" for name in sorted(filters & general)]
    # A slug parameter's values are checked against the records they name: its filter says which.
    problems += [
        f"query parameter {name!r} takes slugs, but its filter is no SlugFilter"
        for name, info in model.model_fields.items()
        if is_slug_list(info.annotation) and name in spec.filters and not isinstance(spec.filters[name], SlugFilter)
    ]
    if problems:
        raise FilterMismatch(f"resource {spec.name!r}: " + "; ".join(problems))


def is_slug_list(annotation: Any) -> bool:
    return get_origin(annotation) is list and get_args(annotation)[:1] == (QuerySlug,)


def slugs(description: str, example: str) -> Any:
    return Field(default_factory=list, description=description, examples=[[example]])


EXPORT_LIMIT = (
    " CSV and NDJSON give the whole filtered set unless `limit` is given; with it, that many rows "
    "(after `cursor`), and the next page in the Link header."
)


def limit_field(*, exports: bool = False) -> Any:
    """`limit`, as every paged response takes it (`exports`: one that also answers CSV and NDJSON)."""
    description = "Page size (1-500)." + (EXPORT_LIMIT if exports else "")
    return Field(50, ge=1, le=500, description=description, examples=[20])


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


def _not_after_today(day: date) -> date:
    if day > date.today():
        message = (
            f"known_at ({day.isoformat()}) is after today ({date.today().isoformat()}, the server's date): "
            "what documents will say is not known yet. Leave known_at out to use everything known today, "
            "or give as_of for a state on a future date."
        )
        raise ValueError(message)
    return day


# `known_at` is a day on which documents had been published: never in the future.
KnownAt = Annotated[date, AfterValidator(_not_after_today)]


def date_fields(spec: ResourceSpec, *, detail: bool = False) -> dict[str, Any]:
    """The dates a resource is read as of: `as_of` and `known_at` for a resource with a history,
    `as_of` alone for one with computed columns. A detail takes `as_of` only if it changes the
    record (its history has computed columns): a parameter is never silently ignored."""
    fields: dict[str, Any] = {}
    if spec.reads_a_date or (spec.history is not None and (spec.history.computed or not detail)):
        fields["as_of"] = (date | None, as_of_field(spec))
    if spec.history is not None:
        fields["known_at"] = (KnownAt | None, known_at_field())
    return fields


def detail_query_model(spec: ResourceSpec) -> type[BaseModel]:
    """The query parameters of a resource's detail: the dates it may be read as of, nothing else."""
    return create_model(
        f"{spec.singular.title()}DetailQuery",
        __config__=ConfigDict(extra="forbid"),
        **date_fields(spec, detail=True),
    )


def comma_choices(parameter: str, names: Sequence[str], *, descending: bool = False) -> AfterValidator:
    """A comma-separated list of `names` (each with a leading `-` when `descending` is allowed),
    refused in plain words listing the names, never with a regular expression."""
    listed = ", ".join(names)
    if descending:
        rule = f"{parameter} takes comma-separated keys, each with - before it for descending order: {listed}"
    else:
        rule = f"{parameter} takes a comma-separated list of: {listed}"

    def check(value: str) -> str:
        for part in value.split(","):
            name = part.removeprefix("-") if descending else part
            if name not in names:
                offered = closest(name.strip(), names)
                words = name.split()
                if descending and len(words) == 2 and words[1].lower() in ("desc", "asc") and words[0] in names:
                    offered = [("-" if words[1].lower() == "desc" else "") + words[0]]  # SQL's spelling
                message = f"{rule} ({part!r} is not one of them).{did_you_mean(offered)}"
                raise ValueError(message)  # app/api/messages.py gives it as it is
        return value

    return AfterValidator(check)


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
        "limit": (int, limit_field(exports=True)),
        "cursor": (str | None, cursor_field()),
        "sort": (
            Annotated[str, comma_choices("sort", list(spec.sort_keys), descending=True)] | None,
            Field(
                None,
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
                description="Representation; also negotiable with Accept. CSV and NDJSON stream the "
                "whole filtered set, or `limit` rows when `limit` is given.",
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
            Annotated[str, comma_choices("include", list(spec.embeds))] | None,
            Field(
                None,
                description=f"Embed related records: {_names(spec.embeds)}.",
                examples=[next(iter(spec.embeds))],
            ),
        )
    if spec.facets:
        fields["facets"] = (
            Annotated[str, comma_choices("facets", list(spec.facets))] | None,
            Field(
                None,
                description=f"Counts per value over the filtered set: {_names(spec.facets)}.",
                examples=[next(iter(spec.facets))],
            ),
        )
        fields["facets_zero"] = (
            bool,
            Field(
                False,
                description="With `facets`: also list every other possible value, with count 0 (every area, "
                "every status), so a filter sidebar can show them all.",
                examples=[True],
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
        facets_zero=values.get("facets_zero", False),
        as_of=values.get("as_of"),
        known_at=values.get("known_at"),
    )
