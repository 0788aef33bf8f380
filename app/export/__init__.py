"""Exports of the whole database in open formats."""
