"""A source text and the checks that tie seed records to it: quotes and their spans."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.loader.junk import clean_text


@dataclass(frozen=True)
class SourceText:
    text: str

    @classmethod
    def read(cls, path: Path) -> "SourceText":
        """The file's text without the junk of the web page it was saved from (see junk.py)."""
        return cls(clean_text(path.read_text(encoding="utf-8")))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def span(self, quote: str) -> tuple[int, int] | None:
        """The character span of the first occurrence of `quote`, or None if absent."""
        start = self.text.find(quote)
        return None if start < 0 else (start, start + len(quote))
