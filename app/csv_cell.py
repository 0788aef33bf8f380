"""How a value is written in a CSV cell: the one rule the API's CSV and the Data Package
export share, so a record reads the same in either file.

The forms are Table Schema's defaults (what datapackage.json declares): an empty cell for
None, `true`/`false`, ISO 8601 dates and datetimes, plain decimal numbers (no exponent, no
trailing zeros: 65000, 1.7, 0.0000001), and JSON for a list or a dict.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import orjson


def csv_cell(value: Any) -> str:
    """The text of `value` in a CSV cell (the CSV writer adds any quoting)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)  # str() gives a StrEnum's value
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():  # the common case, and the fast one
            return str(int(value))
        return _decimal_text(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    return str(value)


def _decimal_text(value: Decimal) -> str:
    # Table Schema's spellings of the numbers that are not finite.
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "-INF" if value.is_signed() else "INF"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
