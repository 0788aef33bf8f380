"""Declarative resource specs and the one engine that turns them into SQL."""
