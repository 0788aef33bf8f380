"""Errors raised in domain terms; app/api/problems.py maps each to an RFC 9457 problem."""


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

    def __init__(self, resource: str, key: str) -> None:
        super().__init__(f"No {resource} with id or slug {key!r}.")
        self.resource = resource
        self.key = key
