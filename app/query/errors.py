"""Errors raised in domain terms; app/api/problems.py maps each to an RFC 9457 problem."""

from datetime import date


class QueryError(Exception):
    """A request the query layer cannot answer because of what the client asked."""

    status = 422
    title = "Invalid query"
    type_slug = "invalid-query"

    def __init__(self, detail: str, *, parameter: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter


class InvalidCursor(QueryError):
    title = "Invalid cursor"
    type_slug = "invalid-cursor"


class InvalidSort(QueryError):
    title = "Invalid sort"
    type_slug = "invalid-sort"


class InvalidSearch(QueryError):
    title = "Invalid search query"
    type_slug = "invalid-search"


class InvalidParameter(QueryError):
    title = "Invalid parameter"
    type_slug = "invalid-parameter"


class NotFound(Exception):
    """No record of `resource` has this id or slug."""

    type_slug = "not-found"

    def __init__(self, resource: str, key: str, detail: str | None = None) -> None:
        super().__init__(detail or f"No {resource} with id or slug {key!r}.")
        self.resource = resource
        self.key = key


class NotYetReported(NotFound):
    """The record exists, but was first reported after the date the register is read as known at."""

    type_slug = "not-yet-reported"

    def __init__(self, resource: str, key: str, first_reported: date, known_at: date) -> None:
        super().__init__(
            resource,
            key,
            f"The {resource} {key!r} was first reported on {first_reported.isoformat()}, "
            f"after known_at ({known_at.isoformat()}).",
        )
        self.first_reported = first_reported


class UnknownValue(QueryError):
    """A filter value that names no record (a slug no area has): a typo, never an empty answer."""

    title = "Unknown value"
    type_slug = "unknown-value"
