"""Where a record is opened for correction: one URL form for every entry page."""

from __future__ import annotations

RECORD_PARAM = "record"  # ?record=<id> opens that record in its entry page's 修改 tab


def record_link(url_path: str, record_id: int) -> str:
    return f"{url_path}?{RECORD_PARAM}={int(record_id)}"
