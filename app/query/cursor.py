"""Opaque keyset cursors: the sort key values of the last row of a page, signed.

A cursor is only valid for what it was made for: one collection, one sort order and one set of
filters (its CursorScope). Taken to another collection it would jump into the middle of it, and
with other filters it would skip what the first pages never held: either is an InvalidCursor
(422), as is a forged or truncated one, never a server error and never a silent jump.
"""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from app.query.errors import InvalidCursor

# Integrity, not secrecy: the key only has to be the same in every app process.
_KEY = b"hkgd-coop-cursor-v1"
_MAC_BYTES = 8


@dataclass(frozen=True)
class CursorScope:
    """What a cursor was made for, as its pages are asked for."""

    collection: str  # "initiatives", "changes of document 3", ...
    sort: str  # the sort order, as the request gives it ("-due,id")
    filters: str = ""  # a digest of everything else that chooses the rows (filters_digest)

    def as_list(self) -> list[str]:
        return [self.collection, self.sort, self.filters]


def filters_digest(*parts: Any) -> str:
    """A short stable digest of what chooses a collection's rows (filters, search, dates): the
    values of a repeated parameter in any order give the same digest."""
    plain = [_canonical(part) for part in parts]
    payload = orjson.dumps(plain, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return base64.urlsafe_b64encode(hashlib.sha256(payload).digest()[:9]).decode()


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return sorted((_canonical(item) for item in value), key=orjson.dumps)
    return _plain(value)


def encode_cursor(scope: CursorScope, values: list[Any]) -> str:
    payload = orjson.dumps([scope.as_list(), [_plain(value) for value in values]])
    mac = hmac.new(_KEY, payload, hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def decode_cursor(cursor: str, scope: CursorScope, types: list[type]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidCursor("The cursor is not valid base64url.", parameter="cursor") from error
    mac, payload = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
    expected = hmac.new(_KEY, payload, hashlib.sha256).digest()[:_MAC_BYTES]
    if not hmac.compare_digest(mac, expected):
        raise InvalidCursor("The cursor was altered or truncated.", parameter="cursor")
    # The key is in the public source, so a well-signed cursor can still be hostile: check its shape.
    try:
        signature, values = orjson.loads(payload)
    except (orjson.JSONDecodeError, TypeError, ValueError) as error:
        raise InvalidCursor("The cursor is malformed.", parameter="cursor") from error
    _check_scope(signature, scope)
    if not isinstance(values, list) or len(values) != len(types):
        raise InvalidCursor("The cursor is malformed; restart without cursor.", parameter="cursor")
    try:
        return [_typed(value, kind) for value, kind in zip(values, types, strict=True)]
    except (TypeError, ValueError) as error:
        raise InvalidCursor("The cursor holds values of the wrong type.", parameter="cursor") from error


def _check_scope(made_for: Any, scope: CursorScope) -> None:
    """An InvalidCursor saying how the cursor's request differs from this one."""
    if made_for == scope.as_list():
        return
    if not (isinstance(made_for, list) and len(made_for) == 3 and all(isinstance(part, str) for part in made_for)):
        raise InvalidCursor("The cursor is malformed; restart without cursor.", parameter="cursor")
    collection, sort, _ = made_for
    if collection != scope.collection:
        raise InvalidCursor(
            f"This cursor belongs to {collection}, not {scope.collection}: a cursor only continues the "
            "list it came from. Ask for the first page without cursor.",
            parameter="cursor",
        )
    if sort != scope.sort:
        raise InvalidCursor(
            f"This cursor was made for sort={sort}, not sort={scope.sort}: keep the sort of the first "
            "page, or ask for the first page without cursor.",
            parameter="cursor",
        )
    raise InvalidCursor(
        "This cursor was made for other filters (or q, as_of, known_at): keep those of the first page "
        "(the Link header's next URL does), or ask for the first page without cursor.",
        parameter="cursor",
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(value: Any, kind: type) -> Any:
    """The JSON value as the sort key's type, refusing anything the database would choke on."""
    if value is None:
        return None
    if kind is date:
        return date.fromisoformat(value)
    if kind is int and type(value) is int and -(2**63) <= value < 2**63:
        return value
    if kind is float and type(value) in (int, float):
        return float(value)
    if kind is str and isinstance(value, str) and "\x00" not in value:  # PostgreSQL text holds no NUL
        return value
    raise TypeError(f"not a {kind.__name__}: {value!r}"[:100])
