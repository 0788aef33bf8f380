"""A source text and the checks that tie seed records to it: quotes and their spans."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

# The press release as saved has its Chinese headings garbled into U+FFFD replacement
# characters and ends with a row of "Photo" links: neither is text a fact can cite.
_GARBLED_LINE = re.compile(r"^[\s\ufffd]*\ufffd[\s\ufffd]*$")
_PHOTO_LINE = re.compile(r"^\s*Photo(\s+Photo)*\s*$")


def clean(raw: str) -> str:
    """The text without garbled heading lines and photo-link lines; all else kept exactly."""
    lines = raw.splitlines(keepends=True)
    kept = [line for line in lines if not (_GARBLED_LINE.match(line) or _PHOTO_LINE.match(line))]
    return "".join(kept).rstrip() + "\n"


@dataclass(frozen=True)
class SourceText:
    text: str

    @classmethod
    def read(cls, path: Path) -> "SourceText":
        return cls(clean(path.read_text(encoding="utf-8")))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def span(self, quote: str) -> tuple[int, int] | None:
        """The character span of the first occurrence of `quote`, or None if absent."""
        start = self.text.find(quote)
        return None if start < 0 else (start, start + len(quote))
