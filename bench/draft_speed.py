"""How long `coop draft` takes on a press release of about 30,000 characters (the target: < 5 s).

    .venv/bin/python bench/draft_speed.py [--rounds 5]

Times the whole draft (read, clean, date, every kind, linking against the register in
./seed, the completeness scan), in process, on seed/24th-plenary-press-release.txt
(30,022 characters) and on its lines shuffled into a new order, cut to 30,000 characters
(a text it has not seen in that form); prints the median and worst of cold rounds (the
date resolver's memo cleared before each). Process start and imports (about 2.5 s of
`coop draft` under load) are not included: `time coop draft ...` shows the whole.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.draft.dates import resolve_phrase  # noqa: E402
from app.draft.register import read_register  # noqa: E402
from app.draft.run import draft  # noqa: E402

RELEASE = ROOT / "seed" / "24th-plenary-press-release.txt"


def shuffled(text: str, seed: int) -> str:
    lines = text.splitlines()
    head, body = lines[:2], lines[2:]
    random.Random(seed).shuffle(body)
    return "\n".join(head + body)[:30_000] + "\n"


def time_draft(path: Path, rounds: int) -> list[float]:
    register = read_register(ROOT / "seed")
    times = []
    for _ in range(rounds):
        resolve_phrase.cache_clear()  # each round cold: no date phrase remembered from the last
        start = time.perf_counter()
        draft(path, register, published_on=date(2024, 7, 12))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "shuffled.txt"
        other.write_text(shuffled(RELEASE.read_text(encoding="utf-8"), 1), encoding="utf-8")
        print("| text | characters | median s | worst s |")
        print("|---|---:|---:|---:|")
        for name, path in (("24th Plenary release", RELEASE), ("its paragraphs shuffled", other)):
            times = time_draft(path, rounds)
            chars = len(path.read_text(encoding="utf-8"))
            print(f"| {name} | {chars:,} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
