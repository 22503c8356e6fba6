"""The colours every chart, slide and deck uses, so one thing has one colour everywhere.

Status: green 正常, amber 滞后, red 严重滞后 only (red says nothing else), grey 无目标 — always beside a shape and
a word. Outlet levels and subsidy types take Okabe–Ito colours that a red–green colour-blind viewer and a
washed-out projector still tell apart (they differ in lightness as well as hue), with no red among them.
"""

from __future__ import annotations

from collections.abc import Sequence

STATUS_MARKS = {"on_track": "●", "behind": "▲", "far_behind": "■", "no_target": "○"}  # a shape per status
STATUS_COLOURS = {"on_track": "#15803d", "behind": "#d97706", "far_behind": "#b91c1c", "no_target": "#6b7280"}
LEVEL_COLOURS = {"national": "#0b4f8a", "provincial": "#e69f00", "municipal": "#56b4e9", "county": "#b9467f"}
# Subsidy types by their place in the admin's list of types: a colour never moves when a type has no payment.
SUBSIDY_PALETTE = ("#0072b2", "#e69f00", "#56b4e9", "#cc79a7", "#4d4d4d", "#f0e442", "#8c6d31", "#a6cee3")
PRIMARY = "#0b4f8a"


def subsidy_colours(type_codes: Sequence[str]) -> dict[str, str]:
    """type code → colour, for the full list of types in the admin's order."""
    return {code: SUBSIDY_PALETTE[i % len(SUBSIDY_PALETTE)] for i, code in enumerate(type_codes)}
