"""Opaque keyset cursors: the sort key values of the last row of a page, signed.

A cursor is only valid for the sort order it was made for; a forged, truncated or
foreign cursor is an InvalidCursor (422), never a server error.
"""

import base64
import binascii
import hashlib
import hmac
from datetime import date
from typing import Any

import orjson

from app.query.errors import InvalidCursor

# Integrity, not secrecy: the key only has to be the same in every app process.
_KEY = b"hkgd-coop-cursor-v1"
_MAC_BYTES = 8


def encode_cursor(sort_signature: str, values: list[Any]) -> str:
    payload = orjson.dumps([sort_signature, [_plain(value) for value in values]])
    mac = hmac.new(_KEY, payload, hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def decode_cursor(cursor: str, sort_signature: str, types: list[type]) -> list[Any]:
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
    if signature != sort_signature or not isinstance(values, list) or len(values) != len(types):
        raise InvalidCursor("The cursor belongs to another sort order; restart without it.", parameter="cursor")
    try:
        return [_typed(value, kind) for value, kind in zip(values, types, strict=True)]
    except (TypeError, ValueError) as error:
        raise InvalidCursor("The cursor holds values of the wrong type.", parameter="cursor") from error


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
