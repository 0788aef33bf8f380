"""Read the file to draft from: plain UTF-8 text, or a saved HTML page parsed with a real parser.

Refuses, with one reason, what is no text at all: an empty file, a binary file, bytes that
are neither UTF-8 nor HTML. Everything else is read, however little of it is understood.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

__all__ = ["ReadSource", "UnreadableInput", "read_source"]

# Elements that hold no text of the release: page furniture, photos and their captions.
_DROPPED = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
            "figure", "figcaption", "img", "picture", "video", "audio", "iframe", "svg", "select")  # fmt: skip
_BLOCKS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
           "ul", "ol", "blockquote", "pre", "dd", "dt", "center")  # fmt: skip
_HTML_START = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|p|div|span|table|br|h1|meta)\b", re.IGNORECASE)
# Control characters other than tab, newline, carriage return, form feed: text has (almost) none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UnreadableInput(ValueError):
    """The file holds no text to draft from; the message says why."""


@dataclass(frozen=True)
class ReadSource:
    text: str  # the source text, as the seed's <doc>.txt will hold it
    title: str | None  # the page's headline, when the HTML names one
    from_html: bool


def read_source(path: Path) -> ReadSource:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableInput(f"cannot read it: {error.strerror or error}") from error
    if not data.strip():
        raise UnreadableInput("the file is empty")
    if b"\x00" in data[:65536]:
        raise UnreadableInput("a binary file, not text")
    if _HTML_START.search(data[:8192]):
        return _from_html(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(f"neither UTF-8 text nor HTML (byte {error.start} is not UTF-8)") from error
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise UnreadableInput("a binary file, not text (control characters)")
    return ReadSource(text, None, from_html=False)


def _from_html(data: bytes) -> ReadSource:
    soup = BeautifulSoup(data, "html.parser")  # detects the page's encoding (meta charset, BOM, guess)
    title = _headline(soup)
    for element in soup.find_all(_DROPPED):
        element.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for item in soup.find_all("li"):
        item.insert_before("\n\u2022 ")  # a list item reads as the bullet line of a pasted release
        item.insert_after("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    body = soup.body or soup
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in body.get_text().splitlines()]
    paragraphs = "\n\n".join(line for line in lines if line)
    if title and not paragraphs.startswith(title):
        paragraphs = f"{title}\n\n{paragraphs}"
    text = _CONTROL.sub(" ", paragraphs).strip()
    if not text:
        raise UnreadableInput("an HTML page with no text")
    return ReadSource(text + "\n", title, from_html=True)


def _headline(soup: BeautifulSoup) -> str | None:
    for candidate in (soup.find(id="PRHeadlineSpan"), soup.find("h1"), soup.find("title")):
        if isinstance(candidate, Tag):
            words = " ".join(candidate.get_text().replace("\xa0", " ").split())
            if words:
                return words
    return None
