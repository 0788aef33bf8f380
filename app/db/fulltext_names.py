"""The names of the full-text objects the migrations create outside the ORM metadata.

SQLite indexes `search_entry` with an FTS5 external-content table kept in step by three
triggers; PostgreSQL with a generated tsvector column and a GIN index on it (migration 0002).
The migrations, Alembic's drift check, the search queries and the bulk loader all import
these names from here.

Migration 0002 builds its SQL from these names, so a rename here must come with a new
migration that renames the objects in existing databases, and 0002 must then keep the old
spelling: a landed migration creates what it always created.
"""

# The table the full-text index covers (app.models.search.SearchEntry). Every name is
# spelled out whole, so that a search for a name seen in the database finds it here.
SEARCH_ENTRY_TABLE = "search_entry"

# SQLite: the FTS5 table. FTS5 creates shadow tables named after it (search_fts_data,
# search_fts_idx, ...): every table whose name starts with this one is part of the index.
FTS_TABLE = "search_fts"
FTS_INSERT_TRIGGER = "search_entry_after_insert"
FTS_DELETE_TRIGGER = "search_entry_after_delete"
FTS_UPDATE_TRIGGER = "search_entry_after_update"

# PostgreSQL: the weighted tsvector column of search_entry and its GIN index.
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_search_entry_vector"
