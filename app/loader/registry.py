"""Which seed document defines each record: a record is defined once, and later documents
refer to it by slug (never re-define it)."""


class Registry:
    def __init__(self) -> None:
        self._definer: dict[tuple[str, str], str] = {}

    def define(self, table: str, slug: str, document_file: str) -> str | None:
        """Register `slug` as defined by `document_file`; return the earlier definer, if any."""
        earlier = self._definer.get((table, slug))
        if earlier is None:
            self._definer[(table, slug)] = document_file
        return earlier

    def defines(self, table: str, slug: str) -> bool:
        """Whether a document loaded so far defines `slug`."""
        return (table, slug) in self._definer
