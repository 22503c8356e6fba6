import math

import pytest

from data_layer.domain.pacing import PaceThresholds, completion, pace_status


@pytest.mark.parametrize(("done", "target", "expected"), [(50, 100, 0.5), (0, 100, 0.0), (120, 100, 1.2)])
def test_completion(done, target, expected):
    assert completion(done, target) == pytest.approx(expected)


@pytest.mark.parametrize("target", [0, None, float("nan"), -5])
def test_completion_without_target_is_nan(target):
    assert math.isnan(completion(10, target))


@pytest.mark.parametrize(
    ("rate", "elapsed", "status"),
    [
        (0.5, 0.5, "on_track"),
        (0.46, 0.5, "on_track"),
        (0.44, 0.5, "behind"),
        (0.29, 0.5, "far_behind"),
        (0.9, 0.5, "on_track"),
        (float("nan"), 0.5, "no_target"),
    ],
)
def test_pace_status(rate, elapsed, status):
    assert pace_status(rate, elapsed) == status


def test_thresholds_are_settings():
    assert pace_status(0.44, 0.5, PaceThresholds(behind=0.1, far_behind=0.3)) == "on_track"
