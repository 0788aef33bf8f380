"""Full-text queries: one small query language, rendered for SQLite FTS5 or PostgreSQL.

The language: words are ANDed; "a phrase" matches words in order; word* matches a
prefix; OR between two terms matches either. Everything else is punctuation and is
dropped, so user text can never inject FTS5 or tsquery syntax.
"""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    SQLColumnExpression,
    Text,
    bindparam,
    case,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    true,
)

from app.db.fulltext_names import FTS_TABLE, SEARCH_VECTOR_COLUMN
from app.models.search import SearchEntry
from app.query.errors import InvalidSearch
from app.query.prepared import PLAN_EACH_TIME

# The FTS5 table is created by the migrations only; this is just its name for SQL building.
SEARCH_FTS = table(FTS_TABLE, column("rowid"))
# PostgreSQL's generated tsvector column, also the migrations' alone.
SEARCH_VECTOR: ColumnElement[Any] = literal_column(f"{SearchEntry.__tablename__}.{SEARCH_VECTOR_COLUMN}")
MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)|(?P<quote>")')
_WORD = re.compile(r"\w+")
HIT_COLUMNS: tuple[Any, ...] = (SearchEntry.resource, SearchEntry.record_id, SearchEntry.slug, SearchEntry.title)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False


# A query is a conjunction of disjunctions: [[a], [b, c]] means a AND (b OR c).
Query = list[list[Term]]


def parse(raw: str) -> Query:
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidSearch(f"The search query is longer than {MAX_QUERY_LENGTH} characters.", parameter="q")
    clauses: Query = []
    join_next = False
    for match in _TOKEN.finditer(raw):
        if match["quote"]:
            raise InvalidSearch("The search query has an unclosed double quote.", parameter="q")
        if match["word"] == "OR":
            if not clauses or join_next:
                raise InvalidSearch("OR must stand between two terms.", parameter="q")
            join_next = True
            continue
        term = (
            _term(match["phrase"], is_phrase=True)
            if match["phrase"] is not None
            else _term(match["word"], is_phrase=False)
        )
        if term is None:
            continue
        if join_next:
            clauses[-1].append(term)
            join_next = False
        else:
            clauses.append([term])
    if join_next:
        raise InvalidSearch("OR must stand between two terms.", parameter="q")
    if not clauses:
        raise InvalidSearch("The search query has no words to search for.", parameter="q")
    if sum(len(clause) for clause in clauses) > MAX_TERMS:
        raise InvalidSearch(f"The search query has more than {MAX_TERMS} terms.", parameter="q")
    return clauses


# Words too common to find anything by on their own. PostgreSQL's english configuration drops its
# own list from every query; FTS5 keeps every word, so a question's "what is the" would otherwise
# match nearly every entry of an any-word query. (They still count in an all-words query.)
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "many",
        "much",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
    }
)


def any_term(query: Query) -> Query:
    """The query matching any of `query`'s terms, less single stop words: the fallback when nothing
    matches them all."""
    terms = [term for clause in query for term in clause]
    telling = [term for term in terms if len(term.words) > 1 or term.prefix or term.words[0] not in STOP_WORDS]
    return [telling or terms]


def _term(chunk: str, *, is_phrase: bool) -> Term | None:
    prefix = not is_phrase and chunk.endswith("*")
    words = tuple(word.lower() for word in _WORD.findall(chunk))
    if not words:
        return None
    if prefix and len(words) > 1:
        raise InvalidSearch(f"A prefix search applies to one word: {chunk!r}.", parameter="q")
    return Term(words=words, prefix=prefix)


# ts_headline parses every character it is given: a body longer than this is cut to an excerpt.
HEADLINE_TEXT = 4000


def anchor_word(query: Query) -> str:
    """The query's first word: where a long text's excerpt for the headline is centred."""
    return query[0][0].words[0]


def _excerpt(body: SQLColumnExpression[str], anchor: BindParameter[str]) -> ColumnElement[str]:
    """`body`, or for a long one HEADLINE_TEXT characters around the first occurrence of the
    anchor word's English stem (ts_lexize: "ambulances" -> "ambul"), or its start if none."""
    # ts_lexize gives {stem}, or {} for a stop word: then the word itself.
    word = cast(anchor, Text)
    stems = func.ts_lexize(literal_column("'english_stem'::regdictionary"), word)
    stem = func.coalesce(func.nullif(func.array_to_string(stems, ""), ""), word)
    found = func.strpos(func.lower(body), stem)
    start = func.greatest(found - HEADLINE_TEXT // 4, 1)
    return case(
        (func.length(body) <= HEADLINE_TEXT, body),
        else_=func.substr(body, start, HEADLINE_TEXT),
    )


def to_fts5(query: Query) -> str:
    def term(t: Term) -> str:
        quoted = '"' + " ".join(t.words) + '"'
        return quoted + "*" if t.prefix else quoted

    parts = [term(clause[0]) if len(clause) == 1 else "(" + " OR ".join(map(term, clause)) + ")" for clause in query]
    return " AND ".join(parts)


def to_tsquery(query: Query) -> str:
    def term(t: Term) -> str:
        if t.prefix:
            return f"{t.words[0]}:*"
        return t.words[0] if len(t.words) == 1 else "(" + " <-> ".join(t.words) + ")"

    return " & ".join("(" + " | ".join(map(term, clause)) + ")" for clause in query)


@dataclass(frozen=True)
class FullText:
    """Engine-specific SQL for matching and ranking search entries."""

    dialect: str

    def render(self, query: Query) -> str:
        """The query in the engine's own syntax (bound as a parameter, never pasted)."""
        return to_tsquery(query) if self.dialect == "postgresql" else to_fts5(query)

    def hit_values(self, query: Query) -> dict[str, Any]:
        """The values `ranked_hits` binds besides its arguments: the rendered query as `q`, and
        on PostgreSQL the headline's anchor word."""
        values: dict[str, Any] = {"q": self.render(query)}
        if self.dialect == "postgresql":
            values["anchor"] = anchor_word(query)
        return values

    def matching_record_ids(self, resource: str, rendered: BindParameter[str]) -> Select[Any]:
        """Ids of the `resource` records matching the rendered query bound to `rendered`."""
        return select(SearchEntry.record_id).where(SearchEntry.resource == resource, self._match(rendered))

    def _match(self, rendered: BindParameter[str]) -> ColumnElement[bool]:
        if self.dialect == "postgresql":
            return SEARCH_VECTOR.bool_op("@@")(func.to_tsquery("english", rendered))
        matches = literal_column(FTS_TABLE).bool_op("MATCH")(rendered)
        return SearchEntry.id.in_(select(SEARCH_FTS.c.rowid).where(matches))

    def ranked_hits(
        self,
        rendered: BindParameter[str],
        resources: list[BindParameter[str]],
        limit: BindParameter[int],
        window: BindParameter[int],
    ) -> Select[Any]:
        """Hits of the given resources (every resource if none), best first, each with a
        highlighted snippet, and in every row the number of matches ranked (`considered`).

        Ranking scores every match it considers, and a common word can match a large part of
        the register (1.9% of 9 million entries in the 1M-initiative benchmark: 0.34 s of bm25
        alone; 1-4 us a match on SQLite, 3-10 us on PostgreSQL). So only the `window` most
        recently loaded matches (highest ids) are ranked; on SQLite finding them is a walk of the
        index in id order, cheap beside scoring (PostgreSQL reads every match: GIN has no order).
        `considered` equal to the window says the ranking may be partial.

        The arguments are bind parameters for the rendered query (see `render`), the
        resource names, the number of hits and the window."""
        if self.dialect == "postgresql":
            return self._postgresql_ranked_hits(rendered, resources, limit, window)
        return self._fts5_ranked_hits(rendered, resources, limit, window)

    @staticmethod
    def _postgresql_ranked_hits(
        rendered: BindParameter[str],
        resources: list[BindParameter[str]],
        limit: BindParameter[int],
        window: BindParameter[int],
    ) -> Select[Any]:
        """The window ranked in one pass, then a headline for each of the best hits.

        The planner chooses, per query (the statement is planned for its words every time), a
        bitmap scan of the GIN index for a rare word or a backward walk of the primary key for a
        common one; either way ts_rank_cd runs after the window's sort and limit. The window is
        materialised once for both the count and the ranking. ts_headline parses all the text it
        is given (~50 ms for a press release), so a long body gives it only an excerpt around
        the first word of the query (see `_excerpt`)."""
        tsquery = func.to_tsquery("english", rendered)
        rank = func.ts_rank_cd(SEARCH_VECTOR, tsquery)
        matching = select(SearchEntry.id.label("id"), rank.label("score")).where(SEARCH_VECTOR.bool_op("@@")(tsquery))
        if resources:
            matching = matching.where(SearchEntry.resource.in_(resources))
        window_rows = (
            matching.order_by(SearchEntry.id.desc()).limit(window).cte("window_rows").prefix_with("MATERIALIZED")
        )
        count = select(func.count().label("considered")).select_from(window_rows).cte("considered")
        ranked = (
            select(window_rows.c.id, window_rows.c.score)
            .order_by(window_rows.c.score.desc(), window_rows.c.id)
            .limit(limit)
            .subquery("best")
        )
        snippet = func.ts_headline(
            "english",
            _excerpt(SearchEntry.body, bindparam("anchor")),
            tsquery,
            "StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=10, MaxFragments=1",
        )
        return (
            select(*HIT_COLUMNS, snippet.label("snippet"), ranked.c.score, count.c.considered)
            .select_from(ranked)
            .join(SearchEntry, SearchEntry.id == ranked.c.id)
            .join(count, true())
            .order_by(ranked.c.score.desc(), ranked.c.id)
            # A generic plan (one bitmap scan for every word) took 4.6 s for a common word at 1M,
            # ranking all 175,000 matches; planned for the word, it walks the key: 71 ms.
            .execution_options(**{PLAN_EACH_TIME: True})
        )

    @staticmethod
    def _fts5_ranked_hits(
        rendered: BindParameter[str],
        resources: list[BindParameter[str]],
        limit: BindParameter[int],
        window: BindParameter[int],
    ) -> Select[Any]:
        """The window, then bm25 over the matches at or above its lowest rowid, then snippets
        for the best hits only.

        FTS5 walks a MATCH in rowid order cheaply (DESC too) and takes a rowid bound as an index
        constraint, so the window costs a walk and bm25 runs on the window alone. SQLite
        evaluates every result column before it sorts, so a snippet() beside the rank would be
        built for every match: each of the best hits' snippets comes from a MATCH on its rowid,
        which FTS5 answers with a seek."""
        matches = literal_column(FTS_TABLE).bool_op("MATCH")(rendered)
        in_window = _of_types(select(SEARCH_FTS.c.rowid.label("id")).where(matches), resources)
        window_rows = in_window.order_by(SEARCH_FTS.c.rowid.desc()).limit(window).subquery("window_rows")
        bounds = select(func.min(window_rows.c.id).label("low"), func.count().label("considered")).cte("bounds")
        # bm25 is lower-is-better; titles weigh ten times the body.
        rank: ColumnElement[Any] = literal_column(f"bm25({FTS_TABLE}, 10.0, 1.0)")
        best = _of_types(
            select(SEARCH_FTS.c.rowid.label("id"), rank.label("rank"))
            .select_from(bounds)
            .join(SEARCH_FTS, true())
            .where(matches, SEARCH_FTS.c.rowid >= bounds.c.low),
            resources,
        )
        ranked = best.order_by(rank, SEARCH_FTS.c.rowid).limit(limit).subquery("best")
        snippet = (
            select(literal_column(f"snippet({FTS_TABLE}, 1, '<mark>', '</mark>', '…', 16)"))
            .select_from(SEARCH_FTS)
            .where(matches, SEARCH_FTS.c.rowid == ranked.c.id)
            .scalar_subquery()
        )
        return (
            select(
                *HIT_COLUMNS,
                snippet.label("snippet"),
                (-ranked.c.rank).label("score"),
                bounds.c.considered,
            )
            .select_from(ranked)
            .join(SearchEntry, SearchEntry.id == ranked.c.id)
            .join(bounds, true())
            .order_by(ranked.c.rank, ranked.c.id)
        )


def _of_types(fts_rows: Select[Any], resources: list[BindParameter[str]]) -> Select[Any]:
    """FTS5 rows limited to search entries of the given resources (all of them if none)."""
    if not resources:
        return fts_rows
    return fts_rows.join(SearchEntry, SearchEntry.id == SEARCH_FTS.c.rowid).where(SearchEntry.resource.in_(resources))
