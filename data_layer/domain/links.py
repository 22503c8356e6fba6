"""Where a record is opened for correction: one URL form for every entry page."""

from __future__ import annotations

RECORD_PARAM = "record"  # ?record=<id> opens that record in its entry page's 修改 tab
ID_MAX = 2**63 - 1  # the largest record number a table holds (a 64-bit key on both engines)


def record_number(text: object) -> int | None:
    """A record's number as typed into a link (``?record=…``): None for anything that is no record's number
    (not digits, or beyond every table's keys: 99999999999999999999 must not reach the database)."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def record_link(url_path: str, record_id: int) -> str:
    return f"{url_path}?{RECORD_PARAM}={int(record_id)}"
