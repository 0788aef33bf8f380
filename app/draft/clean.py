"""The text as the loader will read it, split into title, sections and sentences.

Quotes are cut from `text`, exactly what the loader reads (junk lines dropped by
app/loader/junk.py), so every quote is verbatim. The rules read `plain`: the same text,
character for character, with no-break and other odd spaces as plain spaces, so that an
offset found in `plain` is the same offset in `text`.
"""

import re
from dataclasses import dataclass, field

import pysbd

from app.loader.junk import clean_text

__all__ = ["Prepared", "Section", "Sentence", "clean_title", "prepare"]

_ODD_SPACES = str.maketrans({"\xa0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\t": " "})
# "(with photos)", "(with photo/video)", "(with photos/videos)" ... at the end of a headline.
_MEDIA_NOTE = re.compile(r"\s*\((?:with\s+)?(?:photos?|videos?)(?:\s*(?:/|and|&)\s*(?:photos?|videos?))*\)\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2013*\-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_GARBLED = re.compile(r"[^\ufffd]+")
_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    plain: str  # the words, odd spaces as spaces
    quote: str  # the same words verbatim, as the loader reads them
    section: int  # index into Prepared.sections; -1 before the first heading
    paragraph: int


@dataclass(frozen=True)
class Section:
    heading: str
    start: int  # where the heading stands in the text


@dataclass
class Prepared:
    text: str
    plain: str
    title: str  # the headline without its media note
    title_start: int
    title_quote: str  # the headline without its media note, verbatim (a heading may quote it)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    bullets: list[Sentence] = field(default_factory=list)  # list items, each one "sentence"
    lines_before_bullets: dict[int, str] = field(default_factory=dict)  # a bullet's index -> its lead-in


def clean_title(line: str) -> str:
    return _MEDIA_NOTE.sub("", " ".join(line.translate(_ODD_SPACES).replace("\ufffd", " ").split()))


def _is_heading(line: str) -> bool:
    words = line.split()
    if "\ufffd" in line or not 1 <= len(words) <= 12 or len(line) > 90 or _BULLET.match(line):
        return False
    opens_like_a_title = line[0].isupper() or line[0].isdigit() or line[0] in "\"'\u201c"
    return opens_like_a_title and line.rstrip()[-1] not in ".,;:!?"


_CONNECTOR_END = re.compile(r"\b(?:of|and|for|the|in|on|to|between|with)$")


def _is_heading_tail(line: str) -> bool:
    return bool(line) and line[0].islower() and len(line.split()) <= 12 and line[-1] not in ".,;:!?"


def _title(lines: list[tuple[int, str]]) -> tuple[str, int]:
    """The headline: the first line that reads like one (no full stop at its end)."""
    for offset, line in lines[:5]:
        stripped = line.strip()
        if stripped and not stripped.endswith(".") and len(stripped) <= 250:
            return clean_title(stripped), offset + line.index(stripped[0])
    offset, line = lines[0] if lines else (0, "")
    return clean_title(line.strip()), offset


def prepare(raw: str) -> Prepared:
    text = clean_text(raw)
    plain = text.translate(_ODD_SPACES)
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in plain.splitlines(keepends=True):
        if line.strip():
            lines.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    title, title_start = _title(lines)
    title_line = plain[title_start:].split("\n", 1)[0].rstrip()
    title_quote = text[title_start : title_start + len(_MEDIA_NOTE.sub("", title_line))]
    prepared = Prepared(text, plain, title, title_start, title_quote)
    section = -1
    lead_in = ""
    continued: set[int] = set()  # lines that finish the heading above them
    for paragraph, (offset, line) in enumerate(lines):
        if offset <= title_start < offset + len(line) or paragraph in continued:
            continue
        stripped = line.strip()
        start = offset + line.index(stripped[0])
        if _is_heading(stripped):
            end = start + len(stripped)
            following = lines[paragraph + 1] if paragraph + 1 < len(lines) else None
            # "Promoting early achievement of liberalisation of" / "trade in services ...": one heading
            if following and _CONNECTOR_END.search(stripped) and _is_heading_tail(following[1].strip()):
                end = following[0] + len(following[1].rstrip())
                continued.add(paragraph + 1)
            prepared.sections.append(Section(text[start:end], start))
            section = len(prepared.sections) - 1
            continue
        bullet = _BULLET.match(line)
        if bullet:
            item_start = offset + bullet.end()
            item_end = offset + len(line.rstrip())
            item = Sentence(
                item_start, item_end, plain[item_start:item_end], text[item_start:item_end], section, paragraph
            )
            prepared.lines_before_bullets[len(prepared.bullets)] = lead_in
            prepared.bullets.append(item)
            continue
        lead_in = stripped
        for span in _SEGMENTER.segment(line):
            # Text lost in decoding (U+FFFD) is no part of any quote: it ends a sentence.
            for piece in _GARBLED.finditer(span.sent):
                words = piece.group().strip()
                if len(words) < 3:
                    continue
                s_start = offset + span.start + piece.start() + piece.group().index(words[0])
                s_end = s_start + len(words)
                sentence = Sentence(s_start, s_end, plain[s_start:s_end], text[s_start:s_end], section, paragraph)
                prepared.sentences.append(sentence)
    return prepared
