"""The demo county adopts its own plan: 《沂源县教育事业发展“十四五”规划》 (package data), parsed, stored as a
draft by the demo administrator, adopted, then the indicator values computed so the plan-monitoring pages
have figures from the first login."""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.resources import as_file, files
from typing import Any

from edubrain.base.orgtree import OrgUnit
from edubrain.core.plan.parser import parse_file
from edubrain.plans.adopt import adopt, create_draft, summary
from edubrain.plans.compute import recompute
from edubrain.plans.models import Plan

PLAN_FILE = "yiyuan_2021_2025.txt"
SOURCE_NAME = "沂源县教育事业发展“十四五”规划（源政字〔2023〕36号）.txt"


@dataclass
class PlanLoad:
    plan: Plan
    rows: dict[str, int]
    values: int
    seconds_plan: float
    seconds_values: float


def load_plan(county: OrgUnit, user: Any = None) -> PlanLoad:
    """Parse, store and adopt the county's plan, then compute the county's indicator values."""
    started = time.perf_counter()
    with as_file(files("edubrain.data").joinpath("plans", PLAN_FILE)) as path:
        parsed = parse_file(path)
    plan = adopt(create_draft(parsed, county=county, user=user, source_name=SOURCE_NAME), user=user)
    planned = time.perf_counter()
    result = recompute(county)
    return PlanLoad(
        plan=plan,
        rows=summary(plan),
        values=int(result.get("values", 0)),
        seconds_plan=planned - started,
        seconds_values=time.perf_counter() - planned,
    )
