"""Curated seed files -> validated records -> database, in one transaction."""
