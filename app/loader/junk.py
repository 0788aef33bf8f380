r"""The junk of a pasted press release: whole lines that are no text a fact can cite.

A press release saved from the government's web page brings along two kinds of junk line:

- a line of U+FFFD replacement characters under each English heading: the Chinese heading,
  lost in decoding ("\ufffd\ufffd\ufffd\ufffd");
- rows of photo and video links: "Photo  Photo  Photo" at the end (no-break spaces between),
  or a caption marker on its own line: "Photos", "Photo 1", "(Photo)", "Video".

Junk is recognised by whole lines only. A line that merely contains such a word
("Photovoltaic panels", "the photo exhibition") or a stray replacement character beside
real words is text, and is kept: only a line with nothing else on it is junk.

    >>> is_junk_line("\ufffd\ufffd\ufffd\n"), is_junk_line("Photo\xa0\xa0Photo"), is_junk_line("Photovoltaic")
    (True, True, False)
    >>> clean_text("Healthcare\n\ufffd\ufffd\nPhotovoltaic panels.\n\nPhoto  Photo\n")
    'Healthcare\nPhotovoltaic panels.\n'

The loader cleans every source text with `clean_text` and refuses a record in which
`junk_in` finds junk; the completeness scanner skips the lines `kept_lines` leaves out.
"""

import re
from collections.abc import Iterator

__all__ = ["REPLACEMENT_CHARACTER", "clean_text", "is_junk_line", "junk_in", "kept_lines"]

REPLACEMENT_CHARACTER = "\ufffd"

# \s also matches the no-break spaces (U+00A0) the web page puts between its photo links.
# Each pattern can match a line one way only (a marker never starts or ends with a space),
# so a long line that almost matches costs linear time, not exponential backtracking.
_GARBLED_LINE = re.compile(r"\s*\ufffd[\s\ufffd]*")
# One link or caption marker: Photo, Photos, Photo 1, Photo (2), (Photo), Video, Videos ...
_MARKER = r"\(?(?:photo|video)s?(?:\s?\(?\d+\)?)?\)?"
_SEPARATOR = r"[\s,;/|]+"
_CAPTION_LINE = re.compile(rf"\s*{_MARKER}(?:{_SEPARATOR}{_MARKER})*\s*", re.IGNORECASE)


def is_junk_line(line: str) -> bool:
    """True if `line` (with or without its line ending) is wholly junk: replacement
    characters and spaces only, or photo/video link markers and separators only."""
    return _GARBLED_LINE.fullmatch(line) is not None or _CAPTION_LINE.fullmatch(line) is not None


def kept_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines of `text` that are not junk, each with its line ending and the offset in
    `text` where it starts (so a position found in a line maps back to `text`)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if not is_junk_line(line):
            yield offset, line
        offset += len(line)


def clean_text(text: str) -> str:
    """`text` without its junk lines, every other line kept exactly (blank lines and
    leading spaces too); trailing whitespace trimmed to a single final newline."""
    return "".join(line for _, line in kept_lines(text)).rstrip() + "\n"


def junk_in(value: str) -> str | None:
    """What junk a curated value holds (None if it holds none): a replacement character
    anywhere (a record never quotes text lost in decoding), or a junk line."""
    if REPLACEMENT_CHARACTER in value:
        return "contains the replacement character U+FFFD"
    for line in value.splitlines():
        if is_junk_line(line):
            return f"contains the photo-link line {line.strip()!r}"
    return None
