"""The declarative base, with a naming convention so migrations name constraints stably,
and closed vocabularies declared on their columns."""

from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The Column.info key of a column's closed vocabulary (a StrEnum of app/models/vocab.py):
# kind: Mapped[str] = mapped_column(String(20), info={VOCABULARY: PlaceKind})
VOCABULARY = "vocabulary"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    @classmethod
    def __table_cls__(cls, name: str, metadata: MetaData, *args: Any, **kwargs: Any) -> Table:
        """Each table as declared, plus a CHECK constraint for each column declared with a
        vocabulary: the column's info is the one place a vocabulary is named."""
        table = Table(name, metadata, *args, **kwargs)
        for column in table.columns:
            vocabulary = vocabulary_of(column)
            if vocabulary is not None:
                table.append_constraint(one_of(column.name, vocabulary, nullable=bool(column.nullable)))
        return table


def vocabulary_of(column: Column[Any]) -> type[StrEnum] | None:
    """The closed vocabulary `column` is held to, if any."""
    vocabulary: type[StrEnum] | None = column.info.get(VOCABULARY)
    return vocabulary


def one_of(column: str, vocabulary: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK constraint holding `column` to a closed vocabulary (named `<column>_vocab`)."""
    values = ", ".join(f"'{member.value}'" for member in vocabulary)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_vocab")
