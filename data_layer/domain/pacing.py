"""Completion against time elapsed (完成进度 vs 序时进度), and the status it earns."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PaceThresholds:
    """How far completion may trail time elapsed (in percentage points) before it is 滞后 / 严重滞后."""

    behind: float = 0.05
    far_behind: float = 0.20


DEFAULT_THRESHOLDS = PaceThresholds()
STATUS_LABELS = {"on_track": "正常", "behind": "滞后", "far_behind": "严重滞后", "no_target": "无目标"}


def completion(done: float, target: float | None) -> float:
    """done ÷ target; NaN where there is no positive target (never a division by zero)."""
    if target is None or (isinstance(target, float) and math.isnan(target)) or target <= 0:
        return math.nan
    return done / target


def pace_status(rate: float, elapsed: float, thresholds: PaceThresholds = DEFAULT_THRESHOLDS) -> str:
    if math.isnan(rate):
        return "no_target"
    gap = elapsed - rate
    if gap > thresholds.far_behind:
        return "far_behind"
    if gap > thresholds.behind:
        return "behind"
    return "on_track"
