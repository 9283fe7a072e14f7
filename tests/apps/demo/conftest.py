"""Plans shared by the demo tests: the full county (seed 2021, scale 1.0) and the fixture-sized one."""

from __future__ import annotations

import pytest

from edubrain.demo.plan import DemoPlan, make_plan


@pytest.fixture(scope="session")
def full_plan() -> DemoPlan:
    return make_plan(seed=2021, scale=1.0)


@pytest.fixture(scope="session")
def small_plan() -> DemoPlan:
    """The same plan the session-wide ``demo_db`` fixture writes (seed 7, scale 0.04)."""
    return make_plan(seed=7, scale=0.04)
