"""The register a draft links to: the records the seed files already define.

Read from seed files, not from the database: a draft is a seed file, and its references
are resolved by `coop seed` against the seed files loaded with it, so records the seed
files define are exactly what a draft can refer to. (A record written through the API
alone exists in no seed file and cannot be referred to by one either.)
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.loader.errors import SeedError
from app.loader.load import read_seeds, seed_files
from app.loader.records import SeedFile

__all__ = ["Register", "read_register"]


@dataclass(frozen=True)
class Known:
    """One record of the register, by what a text would call it."""

    slug: str
    names: tuple[str, ...]  # name, short name, heading, label ...
    kind: str = ""  # unit of a series, kind of a milestone, jurisdiction of an organisation
    parent: str | None = None  # a milestone's or a series' initiative, an initiative's area


@dataclass
class KnownOfficial:
    slug: str
    name: str
    posts: list[tuple[str, str]] = field(default_factory=list)  # (title, organisation), latest last


@dataclass
class Register:
    areas: list[Known] = field(default_factory=list)
    places: list[Known] = field(default_factory=list)
    organisations: list[Known] = field(default_factory=list)
    officials: list[KnownOfficial] = field(default_factory=list)
    meetings: list[Known] = field(default_factory=list)
    initiatives: list[Known] = field(default_factory=list)
    agreements: list[Known] = field(default_factory=list)
    series: list[Known] = field(default_factory=list)
    milestones: list[Known] = field(default_factory=list)
    document_slugs: set[str] = field(default_factory=set)
    targets_reached: set[str] = field(default_factory=set)
    seeds: list[SeedFile] = field(default_factory=list)  # what it was read from, in loading order
    statuses: dict[str, str] = field(default_factory=dict)  # initiative -> its latest status
    metric_slugs: set[str] = field(default_factory=set)  # every observation's slug, series or not
    superseded: set[str] = field(default_factory=set)

    def before(self, published_on: date, slug: str) -> "Register":
        """The register as a document of that date and slug finds it: the documents `coop
        seed` loads before it (a record may only refer to earlier ones), never itself (a
        draft drafted again)."""
        register = Register()
        for seed in self.seeds:
            if (seed.document.published_on, seed.document.slug) < (published_on, slug):
                register.add(seed)
        return register

    def add(self, seed: SeedFile) -> None:
        self.seeds.append(seed)
        self.document_slugs.add(seed.document.slug)
        self.areas += [Known(a.slug, (a.name, a.heading)) for a in seed.areas]
        self.places += [Known(p.slug, (p.name,), p.kind) for p in seed.places]
        self.organisations += [
            Known(o.slug, tuple(n for n in (o.name, o.short_name) if n), o.jurisdiction) for o in seed.organisations
        ]
        self.meetings += [Known(m.slug, (m.name,), str(m.ordinal)) for m in seed.meetings]
        self.initiatives += [Known(i.slug, (i.title,), i.kind, i.area) for i in seed.initiatives]
        self.agreements += [Known(a.slug, (a.title,), a.kind) for a in seed.agreements]
        self.series += [
            Known(m.slug, (m.label or m.slug,), m.unit or "", m.initiative) for m in seed.metrics if m.series is None
        ]
        self.milestones += [Known(m.slug, (m.label,), m.kind, m.initiative) for m in seed.milestones]
        self.targets_reached |= {t.milestone for t in seed.targets_reached}
        self.statuses |= {i.slug: i.status.value for i in seed.initiatives}
        self.statuses |= {u.initiative: u.status.value for u in seed.status_updates}
        self.metric_slugs |= {m.slug for m in seed.metrics}
        self.superseded |= {m.supersedes for m in seed.milestones if m.supersedes}
        by_slug = {o.slug: o for o in self.officials}
        for official in seed.officials:
            by_slug[official.slug] = KnownOfficial(
                official.slug, official.name, [(p.title, p.organisation) for p in official.posts]
            )
            self.officials.append(by_slug[official.slug])
        for post in seed.posts:
            if post.official in by_slug:
                by_slug[post.official].posts.append((post.title, post.organisation))


def read_register(folder: Path | None) -> Register:
    """The records the seed files in `folder` define (an empty register for None)."""
    register = Register()
    if folder is None:
        return register
    paths = seed_files(folder)
    if not paths:
        return register
    try:
        seeds = read_seeds(paths)
    except SeedError as error:
        raise SeedError([f"the register in {folder} is not readable", *error.problems]) from error
    for _, seed in seeds:
        register.add(seed)
    return register
