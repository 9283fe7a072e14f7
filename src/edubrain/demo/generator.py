"""演示县生成器: ``build_demo(seed, scale)`` plans the demo county (pure frames) and writes it in one
transaction, 体质测试成绩 (2020—2025, scored on writing) included; the county then adopts its own
"十四五" plan and its indicator values are computed (``demo.plan_load``), followed by the 工作推进 history
(``demo.work``) and the 网上招生 rounds (``demo.admission``: a published 2025 round placed by the real
services, an open 2027 round).

The same seed and scale always give the same county. Demo accounts (password ``Edu@2025``):
admin 教育局管理员, staff 教育局工作人员, leader 领导（只读）, school 学校管理员（沂源县人民路小学）,
reporter 责任单位填报员（县财政局）, root 系统管理员 (superuser).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from edubrain.accounts.models import Role
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.demo.admission import build_admission_demo
from edubrain.demo.balance import build_balance_demo
from edubrain.demo.catalog import YEARS, load_json
from edubrain.demo.followups import simulate_followups
from edubrain.demo.places import build_places_demo
from edubrain.demo.plan import DemoPlan, make_plan
from edubrain.demo.plan_load import PlanLoad, load_plan
from edubrain.demo.reset import delete_demo
from edubrain.demo.work import build_work_demo
from edubrain.demo.writer import write_plan
from edubrain.registry.models import ResponsibleUnit, School

PASSWORD = "Edu@2025"
# The demo accounts' e-mail addresses (the daily digest goes there; console backend by default).
DEMO_MAIL_DOMAIN = "demo.edubrain.local"
SCHOOL_OF_SCHOOL_ADMIN = "沂源县人民路小学"
UNIT_OF_REPORTER = "县财政局"
# username → (role, display name, scope: "county" | "school" | "unit")
DEMO_USERS: dict[str, tuple[str, str, str]] = {
    "admin": (Role.BUREAU_ADMIN, "教育局管理员", "county"),
    "staff": (Role.BUREAU_STAFF, "教育局工作人员", "county"),
    "leader": (Role.LEADER, "分管领导", "county"),
    "school": (Role.SCHOOL_ADMIN, "人民路小学管理员", "school"),
    "reporter": (Role.UNIT_REPORTER, "县财政局填报员", "unit"),
    "root": (Role.BUREAU_ADMIN, "系统管理员", "county"),
}


class DemoDataExists(Exception):
    """The database already holds the demo county (use ``reset=True``)."""


@dataclass
class DemoResult:
    county: OrgUnit
    users: dict[str, Any]
    password: str
    counts: dict[str, int]
    seed: int = 2021
    scale: float = 1.0
    seconds: float = 0.0
    plan: DemoPlan | None = field(default=None, repr=False)
    county_plan: PlanLoad | None = field(default=None, repr=False)  # the adopted 十四五 plan


def county_code() -> str:
    return load_json("demo_county.json")["county"]["code"]


def existing_demo() -> str | None:
    """A Chinese description of demo data already present, or None."""
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, division_code=county_code()).first()
    if county is not None:
        return f"数据库中已有{county.name}（{county.division_code}）的数据"
    taken = list(get_user_model().objects.filter(username__in=DEMO_USERS).values_list("username", flat=True))
    if taken:
        return f"数据库中已有演示账号：{'、'.join(sorted(taken))}"
    return None


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()


def create_users(county: OrgUnit) -> dict[str, Any]:
    """The demo accounts, written in one bulk insert (the password is hashed once)."""
    User = get_user_model()
    school = School.objects.get(name=SCHOOL_OF_SCHOOL_ADMIN, org_unit__path__startswith=county.path)
    unit = ResponsibleUnit.objects.get(name=UNIT_OF_REPORTER, org_unit__path__startswith=county.path)
    scopes = {"county": county, "school": school.org_unit, "unit": unit.org_unit}
    hashed = make_password(PASSWORD)
    users = [
        User(
            username=name,
            first_name=label,
            email=f"{name}@{DEMO_MAIL_DOMAIN}",
            role=role,
            org_unit=scopes[scope],
            password=hashed,
            is_staff=name in ("admin", "root"),
            is_superuser=name == "root",
        )
        for name, (role, label, scope) in DEMO_USERS.items()
    ]
    User.objects.bulk_create(users)
    found = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS).select_related("org_unit")}
    return {name: found[name] for name in DEMO_USERS}


def build_demo(
    seed: int = 2021, scale: float = 1.0, stdout: TextIO | None = None, reset: bool = False
) -> DemoResult:
    """Build the demo county into the configured database.

    Refuses (``DemoDataExists``) when demo data is already there, unless ``reset=True``, which first deletes
    the demo org tree with everything under it and the demo accounts.
    """
    started = time.perf_counter()
    found = existing_demo()
    if found and not reset:
        raise DemoDataExists(f"{found}，未重复生成。如需重建演示数据，请使用 edubrain demo --reset。")
    _write(stdout, f"生成演示县数据：种子 {seed}，规模 {scale:g} …")
    plan = make_plan(seed, scale)
    _write(
        stdout,
        f"  计划完成：{plan.frames['school'].height} 所学校，{plan.frames['student'].height:,} 名学生，"
        f"{plan.frames['staff'].height:,} 名教职工，{plan.frames['fitness'].height:,} 条体质测试成绩"
        f"（{time.perf_counter() - started:.1f} 秒）",
    )
    with transaction.atomic():
        if found:
            _write(stdout, "  删除已有演示数据 …")
            delete_demo(county_code(), list(DEMO_USERS))
        counts = write_plan(plan, lambda message: _write(stdout, message))
        counts.update(simulate_followups(sorted(YEARS), seed))
        _write(stdout, f"  视力预警随访 {counts['vision_followup']:,} 条")
        county = OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code=county_code())
        users = create_users(county)
        counts.update(build_balance_demo(county, seed))
        counts.update(build_places_demo(county, seed))
        counts["users"] = len(users)
        loaded = load_plan(county, users["admin"])
        rows = loaded.rows
        _write(
            stdout,
            f"  规划：采用《{loaded.plan.title}》，任务 {rows['tasks']} 项、目标 {rows['targets']} 个、"
            f"重点项目 {rows['projects']} 个（{loaded.seconds_plan:.2f} 秒）；"
            f"指标值 {loaded.values:,} 条（{loaded.seconds_values:.2f} 秒）",
        )
        work_started = time.perf_counter()
        work = build_work_demo(county, loaded.plan, users, seed)
        counts.update(work)
        _write(
            stdout,
            f"  工作推进：填报周期 {work['work_cycle']} 个、进展报告 {work['work_report']:,} 份、"
            f"重点项目 {work['work_project']} 个、督导 {work['work_round']} 轮、"
            f"整改问题 {work['work_finding']:,} 项、"
            f"约谈通报 {work['work_escalation']} 次（{time.perf_counter() - work_started:.2f} 秒）",
        )
        admission_started = time.perf_counter()
        admission = build_admission_demo(county, users, seed)
        counts.update(admission)
        _write(
            stdout,
            f"  网上招生：招生批次 {admission['admission_round']} 个、片区 {admission['admission_area']} 个、"
            f"申请 {admission['admission_application']:,} 份、派位 {admission['admission_draw']} 次"
            f"（{time.perf_counter() - admission_started:.2f} 秒）",
        )
    seconds = time.perf_counter() - started
    _write(stdout, f"完成，用时 {seconds:.1f} 秒。")
    return DemoResult(
        county=county,
        users=users,
        password=PASSWORD,
        counts=counts,
        seed=seed,
        scale=scale,
        seconds=seconds,
        plan=plan,
        county_plan=loaded,
    )
