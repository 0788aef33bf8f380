"""The history and changes statements stay cheap: each is compiled once per shape, and on SQLite
the history seeks its indexes even where ANALYZE's statistics would have the planner scan."""

import itertools
import operator
from datetime import date
from pathlib import Path

from sqlalchemy import BindParameter, BooleanClauseList, ColumnClause, Engine, text
from sqlalchemy.sql.elements import BinaryExpression

from app.models.vocab import HistoryKind
from app.query import change_presence, changes, history
from tests.helpers import TWENTY_FIFTH, UPDATE, migrated_seeded, seed_dir_with

SHAPES = [
    history._Shape(kinds, as_of, known_at, after)
    for size in range(1, len(HistoryKind) + 1)
    for kinds in itertools.combinations(HistoryKind, size)
    for as_of, known_at, after in itertools.product((False, True), repeat=3)
]


def test_every_history_statement_has_a_cache_key_so_sqlalchemy_compiles_it_once() -> None:
    assert len(SHAPES) == 31 * 8
    for shape in SHAPES:
        assert history._statement(shape)._generate_cache_key() is not None, shape


def test_every_changes_statement_has_a_cache_key_so_sqlalchemy_compiles_it_once() -> None:
    for rank, after in itertools.product(range(len(changes.BRANCHES)), (False, True)):
        assert changes._statement(rank, after)._generate_cache_key() is not None, (rank, after)


# sqlite_stat1 as ANALYZE writes it for 200,000 synthetic initiatives (`coop synth`): every
# milestone.supersedes_id is NULL, which ANALYZE counts as one key of 600,000 rows.
LARGE_REGISTER_STATISTICS = [
    ("milestone", "ix_milestone_supersedes_id", "600000 600000"),
    ("milestone", "ix_milestone_initiative_id_id", "600000 3 1"),
    ("milestone", "ix_milestone_document_id", "600000 600000"),
    ("milestone", "sqlite_autoindex_milestone_1", "600000 1"),
    ("status_statement", "ix_status_statement_initiative_effective", "200000 1 1 1"),
    ("status_statement", "ix_status_statement_document_id", "200000 200000"),
    ("metric", "ix_metric_initiative_id_id", "1000000 5 1"),
    ("document", "ix_document_published_on", "1 1"),
]


def test_on_sqlite_the_history_seeks_the_supersedes_index_whatever_analyze_says(tmp_path: Path) -> None:
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE)
    engine: Engine = migrated_seeded(f"sqlite:///{tmp_path / 'coop.db'}", seed)
    try:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            connection.execute(text("DELETE FROM sqlite_stat1"))
            for table, index, stat in LARGE_REGISTER_STATISTICS:
                connection.execute(
                    text("INSERT INTO sqlite_stat1 VALUES (:t, :i, :s)"), {"t": table, "i": index, "s": stat}
                )
        with engine.connect() as connection:
            connection.execute(text("ANALYZE sqlite_schema"))  # reload the statistics
            for as_of, known_at in itertools.product((False, True), repeat=2):
                statement = history._statement(history._Shape(tuple(HistoryKind), as_of, known_at, False))
                values = {"initiative_id": 1, "today": date(2026, 1, 1), "as_of": date(2026, 1, 1)}
                values |= {"known_at": date(2026, 1, 1), "limit": 51}
                sql = str(statement.params(**values).compile(engine, compile_kwargs={"literal_binds": True}))
                plan = [row[3] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
                assert "SEARCH new USING INDEX ix_milestone_supersedes_id (supersedes_id=?)" in plan, plan
                assert "SEARCH successor USING INDEX ix_milestone_supersedes_id (supersedes_id=?)" in plan, plan
                assert not [
                    step
                    for step in plan
                    if step.startswith("SCAN")
                    and "document" not in step
                    and "entry" not in step
                    and "subquery" not in step
                ], plan
    finally:
        engine.dispose()


def test_on_sqlite_the_changes_probe_seeks_every_document_index_whatever_analyze_says(tmp_path: Path) -> None:
    """After ANALYZE of a register whose records all come from its first document, SQLite reads
    `document_id = ?` as matching every row, and scanned 100,000 initiatives to learn that a
    follow-up defines none (app/query/change_presence.py)."""
    engine: Engine = migrated_seeded(f"sqlite:///{tmp_path / 'coop.db'}", seed_dir_with(tmp_path / "seed"))
    try:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            connection.execute(text("DELETE FROM sqlite_stat1"))
            for table in change_presence.TABLES:
                name = table.__tablename__
                connection.execute(
                    text("INSERT INTO sqlite_stat1 VALUES (:t, :i, '200000 200000')"),
                    {"t": name, "i": f"ix_{name}_document_id"},
                )
        with engine.connect() as connection:
            connection.execute(text("ANALYZE sqlite_schema"))  # reload the statistics
            probe = change_presence._probe_statement().params(document_id=2)
            sql = str(probe.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = [row[3] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    finally:
        engine.dispose()
    searches = [step for step in plan if step.startswith("SEARCH")]
    assert len(searches) == len(change_presence.TABLES), plan
    assert all("_document_id (document_id=?)" in step for step in searches), plan


def test_every_kind_of_change_reads_only_rows_of_its_table_from_the_document() -> None:
    """What lets a page skip a kind (app/query/change_presence.py): each kind's statement requires,
    in its top-level WHERE, `document_id = :document_id` on its Branch.table (or an alias of it)."""
    for rank, branch in enumerate(changes.BRANCHES):
        where = branch.build(None).whereclause
        assert where is not None, rank
        conditions = list(where.clauses) if isinstance(where, BooleanClauseList) else [where]
        tables = {
            getattr(condition.left.table, "element", condition.left.table)
            for condition in conditions
            if isinstance(condition, BinaryExpression)
            and condition.operator is operator.eq
            and isinstance(condition.left, ColumnClause)
            and condition.left.name == "document_id"
            and isinstance(condition.right, BindParameter)
            and condition.right.key == "document_id"
        }
        assert tables == {branch.table.__table__}, (rank, tables)
