"""How right `coop draft` is: recall and precision per kind against the curated seed, and how
many updates of the fictional follow-ups it links to the right existing record.

    .venv/bin/python bench/draft_quality.py          # prints the tables of docs/DRAFTING.md

1. Drafts seed/24th-plenary-press-release.txt on an empty register and compares the draft
   with seed/24th-plenary.yaml, kind by kind (each curated record matched at most once):
   metrics by value, unit and qualifier; milestones by resolved interval; agreements by
   title (fuzzy, token sort ratio >= 85); officials by name, and by name and post title;
   areas by heading; places by name; organisations by name (one spelling per body, see
   app/draft/organisations.py); initiatives by title (fuzzy: token sort ratio >= 80, or
   token set ratio >= 90 for titles of two words or more).
2. Drafts tests/fixtures/followups/25th-plenary-fictional.txt against a register holding the
   24th seed, then progress-update-fictional.txt against the 24th seed and the 25th's curated
   follow-up, and scores the updates (status statements by initiative and status, figures by
   series, targets reached by milestone) against the curated follow-up files.
"""

import shutil
import sys
import tempfile
from collections.abc import Callable, Hashable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.draft.organisations import organisation_key  # noqa: E402
from app.draft.register import Register, read_register  # noqa: E402
from app.draft.run import draft  # noqa: E402
from app.loader.dates import resolve_date  # noqa: E402
from app.loader.load import read_seed  # noqa: E402
from app.loader.records import SeedFile  # noqa: E402

SEED = ROOT / "seed"
FOLLOWUPS = ROOT / "tests" / "fixtures" / "followups"


def exact_matches(curated: list[Hashable], drafted: list[Hashable]) -> int:
    pool = list(drafted)
    found = 0
    for key in curated:
        if key in pool:
            pool.remove(key)
            found += 1
    return found


def fuzzy_matches(curated: list[str], drafted: list[str], same: Callable[[str, str], float], threshold: float) -> int:
    """Greedy one-to-one matching, best pairs first."""
    pairs = sorted(
        ((same(c, d), i, j) for i, c in enumerate(curated) for j, d in enumerate(drafted)),
        reverse=True,
    )
    used_c: set[int] = set()
    used_d: set[int] = set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in used_c and j not in used_d:
            used_c.add(i)
            used_d.add(j)
    return len(used_c)


def title_score(a: str, b: str) -> float:
    a, b = utils.default_process(a), utils.default_process(b)
    sort = fuzz.token_sort_ratio(a, b)
    both_long = min(len(a.split()), len(b.split())) >= 2
    return max(sort, fuzz.token_set_ratio(a, b) - 10 if both_long else 0)


def interval(when: str, published_on: date) -> tuple[date | None, date | None]:
    resolved = resolve_date(when, published_on)
    return resolved.start, resolved.end


def compare_24th() -> list[tuple[str, int, int, int]]:
    """(kind, curated, drafted, matched) per kind."""
    curated = read_seed(SEED / "24th-plenary.yaml")
    published = curated.document.published_on
    result = draft(SEED / "24th-plenary-press-release.txt", Register(), published_on=published)
    drafted = SeedFile.model_validate(result.seed)
    rows: list[tuple[str, int, int, int]] = []

    def row(kind: str, c: list[Any], d: list[Any], matched: int) -> None:
        rows.append((kind, len(c), len(d), matched))

    def metric_key(m: Any) -> tuple[Decimal, str, str]:
        return (m.value, str(m.unit), str(m.qualifier))

    row("metrics (value, unit, qualifier)", curated.metrics, drafted.metrics,
        exact_matches([metric_key(m) for m in curated.metrics], [metric_key(m) for m in drafted.metrics]))  # fmt: skip
    c_dates = [interval(m.when, published) for m in curated.milestones]
    d_dates = [interval(m.when, published) for m in drafted.milestones]
    row("milestones (interval)", c_dates, d_dates, exact_matches(c_dates, d_dates))  # type: ignore[arg-type]
    c_titles, d_titles = [a.title for a in curated.agreements], [a.title for a in drafted.agreements]
    row("agreements (title)", c_titles, d_titles, fuzzy_matches(c_titles, d_titles, title_score, 85))
    c_names = [o.name for o in curated.officials]
    d_names = [o.name for o in drafted.officials]
    row("officials (name)", c_names, d_names, exact_matches(c_names, d_names))  # type: ignore[arg-type]
    c_posts = [(o.name, p.title) for o in curated.officials for p in o.posts]
    d_posts = [(o.name, p.title) for o in drafted.officials for p in o.posts]
    row("officials (name and post)", c_posts, d_posts, exact_matches(c_posts, d_posts))  # type: ignore[arg-type]
    c_areas, d_areas = [a.heading for a in curated.areas], [a.heading for a in drafted.areas]
    row("areas (heading)", c_areas, d_areas, exact_matches(c_areas, d_areas))  # type: ignore[arg-type]
    c_places = [p.name.lower() for p in curated.places]
    d_places = [p.name.lower() for p in drafted.places]
    row("places (name)", c_places, d_places, exact_matches(c_places, d_places))  # type: ignore[arg-type]
    c_orgs = [organisation_key(o.name) for o in curated.organisations]
    d_orgs = [organisation_key(o.name) for o in drafted.organisations]
    row("organisations (name)", c_orgs, d_orgs, fuzzy_matches(c_orgs, d_orgs, fuzz.token_sort_ratio, 90))
    c_init, d_init = [i.title for i in curated.initiatives], [i.title for i in drafted.initiatives]
    row("initiatives (title)", c_init, d_init, fuzzy_matches(c_init, d_init, title_score, 80))
    return rows


def updates(seed: SeedFile) -> set[tuple[str, str, str]]:
    """What a follow-up says about records defined before it."""
    found = {("status", u.initiative, str(u.status)) for u in seed.status_updates}
    found |= {("figure", m.series, str(m.value)) for m in seed.metrics if m.series}
    found |= {("target reached", t.milestone, "") for t in seed.targets_reached}
    return found


def drafted_updates(seed: SeedFile) -> set[tuple[str, str, str]]:
    found = {("status", u.initiative, str(u.status)) for u in seed.status_updates}
    found |= {("figure", m.series, str(m.value)) for m in seed.metrics if m.series}
    found |= {("target reached", t.milestone, "") for t in seed.targets_reached}
    return found


def compare_followups() -> list[tuple[str, int, int, int]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        register_dir = Path(folder)
        for path in SEED.iterdir():
            shutil.copy(path, register_dir)
        for name in ("25th-plenary-fictional", "progress-update-fictional"):
            curated = read_seed(FOLLOWUPS / f"{name}.yaml")
            result = draft(
                FOLLOWUPS / f"{name}.txt",
                read_register(register_dir),
                published_on=curated.document.published_on,
            )
            expected = updates(curated)
            got = drafted_updates(SeedFile.model_validate(result.seed))
            rows.append((name, len(expected), len(got), len(expected & got)))
            shutil.copy(FOLLOWUPS / f"{name}.yaml", register_dir)
            shutil.copy(FOLLOWUPS / f"{name}.txt", register_dir)
    return rows


def main() -> None:
    print("24th Plenary, drafted on an empty register, against seed/24th-plenary.yaml\n")
    print("| kind | curated | drafted | matched | recall | precision |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, c, d, m in compare_24th():
        recall = m / c if c else 1.0
        precision = m / d if d else 1.0
        print(f"| {kind} | {c} | {d} | {m} | {recall:.2f} | {precision:.2f} |")
    print("\nFictional follow-ups, drafted against a register holding the earlier documents\n")
    print(
        "| follow-up | curated updates | drafted updates | linked right | share linked right | share of drafted right |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    total_c = total_d = total_m = 0
    for name, c, d, m in compare_followups():
        total_c, total_d, total_m = total_c + c, total_d + d, total_m + m
        print(f"| {name} | {c} | {d} | {m} | {m / c:.2f} | {m / d if d else 1:.2f} |")
    print(f"| all | {total_c} | {total_d} | {total_m} | {total_m / total_c:.2f} | {total_m / total_d:.2f} |")


if __name__ == "__main__":
    main()
