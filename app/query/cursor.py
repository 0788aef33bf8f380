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
    signature, values = orjson.loads(payload)
    if signature != sort_signature or len(values) != len(types):
        raise InvalidCursor("The cursor belongs to another sort order; restart without it.", parameter="cursor")
    return [_typed(value, kind) for value, kind in zip(values, types, strict=True)]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if kind is date:
        return date.fromisoformat(value)
    return kind(value)
