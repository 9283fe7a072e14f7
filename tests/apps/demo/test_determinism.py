"""The plan is a pure function of (seed, scale)."""

from __future__ import annotations

from edubrain.demo.plan import make_plan


def test_same_seed_same_frames(small_plan):
    again = make_plan(seed=7, scale=0.04)
    assert again.frames.keys() == small_plan.frames.keys()
    for key, frame in small_plan.frames.items():
        assert frame.equals(again.frames[key]), key


def test_different_seed_differs(small_plan):
    other = make_plan(seed=8, scale=0.04)
    assert not other.frames["student"].equals(small_plan.frames["student"])
    assert set(other.frames["student"]["id_number"]) != set(small_plan.frames["student"]["id_number"])
    assert not other.frames["staff"]["name"].equals(small_plan.frames["staff"]["name"])
    # the calibration does not depend on the seed
    assert other.headline(2020) | {"teachers": 0} == small_plan.headline(2020) | {"teachers": 0}
