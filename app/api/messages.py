"""Plain words for the validation errors a client meets, each saying what to do instead of
what pydantic found wrong ("limit must be from 1 to 500", not "Input should be greater than
or equal to 1"). app/api/problems.py puts them in the 422 problem."""

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from fastapi import params
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.requests import Request

from app.api.params import SLUG_PATTERN, TEXT_PATTERN
from app.query.suggestions import closest, did_you_mean

DATE_FORMAT = "YYYY-MM-DD"
# Dates as people write them, and the ISO date each means: offered back when one matches.
DATE_SPELLINGS = ("%Y/%m/%d", "%d/%m/%Y", "%Y%m%d", "%d-%m-%Y", "%d.%m.%Y", "%Y.%m.%d", "%d %B %Y", "%d %b %Y")
SLUG = re.compile(SLUG_PATTERN)
# Names other APIs give these parameters, and this API's: offered when the name is not close.
OTHER_APIS_NAMES = {
    "query": "q",
    "search": "q",
    "text": "q",
    "order": "sort",
    "order_by": "sort",
    "orderby": "sort",
    "sort_by": "sort",
    "sortby": "sort",
    "expand": "include",
    "embed": "include",
    "with": "include",
    "page_size": "limit",
    "per_page": "limit",
    "pagesize": "limit",
    "size": "limit",
    "max": "limit",
    "top": "limit",
    "page": "cursor",
    "offset": "cursor",
    "skip": "cursor",
    "after": "cursor",
    "start": "cursor",
}
PAGING_ADVICE = "This API pages with cursor: pass the next_cursor of one page (or follow its Link header) for the next."
# What the listing parameters are for, said where a bad value of theirs is refused.
LIMIT_ADVICE = (
    "For more records, follow next_cursor (or the Link header), or ask for format=csv or format=ndjson, "
    "which give the whole filtered set when limit is not given."
)


def route_parameters(request: Request) -> dict[str, FieldInfo]:
    """The query and path parameters of the route that answered, by the name a client gives
    (a query model's fields, one by one); empty when no route matched."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return {}
    parameters: dict[str, FieldInfo] = {}
    for field in (*route.dependant.path_params, *route.dependant.query_params):
        annotation = field.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            parameters.update({info.alias or name: info for name, info in annotation.model_fields.items()})
        else:
            parameters[field.alias] = field.field_info
    return parameters


def current_names(parameters: Mapping[str, FieldInfo]) -> list[str]:
    """The query parameters worth offering: not path parts, nor those kept only as deprecated aliases."""
    return [name for name, info in parameters.items() if not info.deprecated and not isinstance(info, params.Path)]


def explain(name: str, error: Mapping[str, Any], parameters: Mapping[str, FieldInfo]) -> str:
    """One validation error of parameter `name`, in plain words that say what to do."""
    kind = str(error.get("type", ""))
    given = error.get("input")
    info = parameters.get(name)
    if given == "" and kind not in ("extra_forbidden", "missing"):
        if info is not None and info.is_required():
            example = _example(info)
            return f"{name} is empty: give it a value" + (f", for example {name}={example}." if example else ".")
        return f"{name} is empty: give it a value, or leave {name} out."
    if kind == "extra_forbidden":
        return _unknown_parameter(name, parameters)
    if kind == "missing":
        example = _example(info)
        return f"{name} is required" + (f", for example {name}={example}." if example else ".")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _bad_date(name, given)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _out_of_range(name, given, info)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be a whole number{_range_words(info)} ({_shown(given)} is not)." + _limit_advice(name)
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{name} must be a finite number, like 1000 or 2.5 ({_shown(given)} is not)."
    if kind in ("bool_parsing", "bool_type"):
        return f"{name} must be true or false ({_shown(given)} is not)."
    if kind in ("enum", "literal_error"):
        return _not_a_choice(name, given, _choices(info))
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        if pattern == SLUG_PATTERN:
            return _not_a_slug(name, given)
        if pattern == TEXT_PATTERN:
            return f"{name} must be plain text, without control characters such as line breaks or tabs."

    if kind == "string_too_long":
        return f"{name} takes at most {error.get('ctx', {}).get('max_length')} characters."
    if kind == "string_too_short":
        return f"{name} must not be empty: give a value or leave {name} out."
    if kind == "too_long":
        return f"{name} takes at most {error.get('ctx', {}).get('max_length')} values in one request."
    if kind == "value_error":  # a validator's own message, already in plain words
        return str(error.get("ctx", {}).get("error", error.get("msg", "is invalid")))
    return str(error.get("msg", "is invalid"))


def _unknown_parameter(name: str, parameters: Mapping[str, FieldInfo]) -> str:
    names = current_names(parameters)
    if not names:
        return f"{name} is not a parameter of this endpoint, which takes none."
    suggestions = closest(name, names)
    ours = OTHER_APIS_NAMES.get(name.lower())
    if ours in names and ours not in suggestions:
        suggestions = [ours, *suggestions]
    paging = f" {PAGING_ADVICE}" if ours == "cursor" and "cursor" in names else ""
    return (
        f"{name} is not a parameter of this endpoint.{did_you_mean(suggestions)}{paging} It takes: {', '.join(names)}."
    )


def _bad_date(name: str, given: Any) -> str:
    message = f"{name} must be a date written {DATE_FORMAT}, like 2024-12-31"
    meant = _date_meant(str(given)) if given is not None else None
    if meant is not None:
        return f"{message}: did you mean {name}={meant.isoformat()}?"
    if isinstance(given, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", given):
        return f"{message}; {given} is no day of the calendar."
    if isinstance(given, str) and re.fullmatch(r"\d{4}(-\d{2})?", given):
        return f"{message}; for a whole month or year give its first or last day ({given} is not a day)."
    return f"{message} ({_shown(given)} is not)."


def _date_meant(text: str) -> date | None:
    """The day `text` plainly names in another spelling (an ambiguous 01/02/2024 names none)."""
    days = set()
    for spelling in DATE_SPELLINGS:
        try:
            days.add(datetime.strptime(text.strip(), spelling).date())
        except ValueError:
            continue
    return days.pop() if len(days) == 1 else None


def _bounds(info: FieldInfo | None) -> tuple[Any, Any]:
    """A number's bounds, from its Field(ge=..., le=...) (annotated_types' Ge, Le, Gt, Lt)."""
    low = high = None
    for rule in info.metadata if info is not None else ():
        low = next((getattr(rule, name) for name in ("ge", "gt") if hasattr(rule, name)), low)
        high = next((getattr(rule, name) for name in ("le", "lt") if hasattr(rule, name)), high)
    return low, high


def _range_words(info: FieldInfo | None) -> str:
    low, high = _bounds(info)
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def _out_of_range(name: str, given: Any, info: FieldInfo | None) -> str:
    return f"{name} must be{_range_words(info) or ' in range'}, not {given}." + _limit_advice(name)


def _limit_advice(name: str) -> str:
    return f" {LIMIT_ADVICE}" if name == "limit" else ""


def _choices(info: FieldInfo | None) -> list[str]:
    """The values a parameter takes, from its type: an enum's or a Literal's (or their list's)."""
    annotation = info.annotation if info is not None else None
    for _ in range(3):  # list[X] | None -> list[X] -> X
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return [str(member.value) for member in annotation]
        if get_origin(annotation) is Literal:
            return [str(value) for value in get_args(annotation)]
        arguments = [a for a in get_args(annotation) if a is not type(None)]
        annotation = arguments[0] if arguments else None
    return []


def _not_a_choice(name: str, given: Any, choices: list[str]) -> str:
    if not choices:
        return f"{name}: {_shown(given)} is not one of the values it takes."
    suggestions = closest(str(given), choices)
    return f"{name} must be one of: {', '.join(choices)} ({_shown(given)} is not).{did_you_mean(suggestions)}"


def _not_a_slug(name: str, given: Any) -> str:
    message = (
        f"{name} takes slugs: lower-case letters and digits in words joined by single hyphens, "
        f"like healthcare or 24th-plenary ({_shown(given)} is not one)."
    )
    if isinstance(given, str):
        meant = "-".join(re.findall(r"[a-z0-9]+", given.lower()))
        if meant and SLUG.fullmatch(meant):
            return f"{message} Did you mean {meant}?"
    return message


def _example(info: FieldInfo | None) -> str | None:
    examples = info.examples if info is not None else None
    return str(examples[0]) if examples else None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "...'"
