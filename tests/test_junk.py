"""A pasted press release loses its junk lines (garbled headings, photo links) and nothing else."""

import doctest
import time

import pytest

import app.loader.junk
from app.loader.junk import clean_text, is_junk_line, junk_in, kept_lines
from tests.conftest import SEED_DIR

PRESS_RELEASE = SEED_DIR / "24th-plenary-press-release.txt"


@pytest.mark.parametrize(
    "line",
    [
        "\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd",
        "\ufffd\ufffd \ufffd\ufffd\n",
        "\xa0 \ufffd\ufffd\r\n",
        "Photo\xa0\xa0Photo\xa0\xa0Photo\xa0\xa0Photo",
        "Photo",
        "Photos",
        "photos\n",
        "Photo 1",
        "Photo 1  Photo 2  Photo 3",
        "(Photo)",
        "Photo (2)",
        "Photo, Photo / Video",
        "Video",
    ],
)
def test_a_line_of_nothing_but_junk_is_junk(line: str) -> None:
    assert is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Photovoltaic",
        "Photovoltaic panels will be fitted to the piers.",
        "The photo exhibition opens in May.",
        "Photographs of the ceremony",
        "Photo: the Chief Executive at the signing ceremony",
        "24th Plenary held in Guangzhou (with photos/videos)",
        "\ufffd\ufffd 3 projects",  # a stray replacement character beside real words
        "",
        "\n",
        "\xa0 \xa0 \n",  # a blank line, kept as the text has it
    ],
)
def test_a_line_with_anything_else_on_it_is_text(line: str) -> None:
    assert not is_junk_line(line)


def test_the_press_release_loses_its_garbled_headings_and_photo_links_only() -> None:
    raw = PRESS_RELEASE.read_text(encoding="utf-8")
    removed = [line for line in raw.splitlines() if line not in clean_text(raw).splitlines()]
    assert len(removed) == 17
    assert sum("\ufffd" in line for line in removed) == 16
    assert [line for line in removed if "Photo" in line] == [raw.splitlines()[-1]]
    cleaned = clean_text(raw)
    assert "\ufffd" not in cleaned
    assert cleaned.startswith("24th Plenary of Hong Kong/Guangdong Co-operation Joint Conference held in Guangzhou")
    assert "(with photos/videos)" in cleaned  # the headline's words are text


def test_clean_text_keeps_every_other_line_exactly() -> None:
    raw = (
        "Clean Energy\n\ufffd\ufffd\n\xa0\xa0\xa0Photovoltaic roofs, 40 per cent.\n\n"
        "(Photo)\nEnds\n\nPhoto\xa0\xa0Photo\n\n"
    )
    assert clean_text(raw) == "Clean Energy\n\xa0\xa0\xa0Photovoltaic roofs, 40 per cent.\n\nEnds\n"
    assert clean_text(clean_text(raw)) == clean_text(raw)


def test_kept_lines_give_offsets_into_the_original_text() -> None:
    raw = PRESS_RELEASE.read_text(encoding="utf-8")
    kept = list(kept_lines(raw))
    assert all(raw[offset : offset + len(line)] == line for offset, line in kept)
    assert len(kept) == len(raw.splitlines()) - 17


def test_a_record_with_a_replacement_character_or_a_photo_link_line_holds_junk() -> None:
    assert junk_in("Bad \ufffd text") == "contains the replacement character U+FFFD"
    assert junk_in("A summary\nPhoto  Photo") == "contains the photo-link line 'Photo  Photo'"
    assert junk_in("Photovoltaic roofs for the piers; a photographer records them") is None


def test_an_almost_junk_line_is_judged_in_linear_time() -> None:
    # Patterns that could match one line many ways would take exponential time on these.
    lines = ["Photo " * 20_000 + "x", "\ufffd" * 200_000 + "x", "(Photo) , " * 20_000 + "Photovoltaic"]
    started = time.perf_counter()
    assert not any(is_junk_line(line) for line in lines)
    assert time.perf_counter() - started < 2


def test_the_documented_examples_hold() -> None:
    results = doctest.testmod(app.loader.junk)
    assert results.attempted >= 2 and results.failed == 0
