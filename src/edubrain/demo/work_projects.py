"""Demo 重点项目推进 (called by demo.work.build_work_demo): one ``ProjectTrack`` per key project of the
adopted plan, with 4–6 里程碑 each.

The school is the demo school the project's text names first (else a location text); the lead is
县教育和体育局 (else the first 责任单位). Status mix: about 5 done, 9 building, 3 planned, 1 paused;
budget by kind (construction 3 000–30 000 万元, programmes 300–3 000), spend by status; three or four
unfinished projects are 滞后 (a milestone's planned date has passed without it being done).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from edubrain.base.orgtree import OrgUnit
from edubrain.demo.work_texts import DEMO_TODAY
from edubrain.plans.models import KeyProject, Plan
from edubrain.registry.models import ResponsibleUnit, School
from edubrain.work.models import Milestone, ProjectTrack

TODAY = DEMO_TODAY
BUILD_WORDS = ("建设", "新建", "改扩建", "工程", "异址", "薄弱环节")
BUILD_STEPS = ("立项批复", "完成设计", "开工建设", "主体完工", "竣工验收", "投入使用")
PROGRAMME_STEPS = ("印发实施方案", "启动实施", "中期评估", "全面推进", "总结验收")
ALIASES = {"沂源一中": "沂源县第一中学", "沂源二中": "沂源县第二中学"}
STATUSES = ["done"] * 5 + ["building"] * 9 + ["planned"] * 3 + ["paused"]
LOCATIONS = ("全县中小学", "县城区及各镇（街道）", "全县各级各类学校")


def _is_build(project: KeyProject) -> bool:
    return any(w in project.name for w in BUILD_WORDS)


def _school_for(project: KeyProject, schools: list[School]) -> School | None:
    """The first school the project's name or content names (full name or without the county prefix)."""
    text = f"{project.name}{project.content}"
    for short, full in ALIASES.items():
        text = text.replace(short, full)
    found = []
    for school in schools:
        names = {school.name, school.name.removeprefix("沂源县")}
        positions = [text.find(n) for n in names if len(n) >= 4 and n in text]
        if positions:
            found.append((min(positions), school.pk, school))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _lead(county: OrgUnit) -> OrgUnit | None:
    units = ResponsibleUnit.objects.filter(county=county).select_related("org_unit").order_by("id")
    bureau = next((u for u in units if u.name == "县教育和体育局"), None) or units.first()
    return bureau.org_unit if bureau else None


def build_projects(county: OrgUnit, plan: Plan, users: dict[str, Any], rng: random.Random) -> dict[str, int]:
    projects = list(KeyProject.objects.filter(plan=plan).order_by("number"))
    schools = list(School.objects.filter(org_unit__path__startswith=county.path).order_by("id"))
    lead = _lead(county)
    statuses = (STATUSES * (len(projects) // len(STATUSES) + 1))[: len(projects)]
    rng.shuffle(statuses)
    delayed = set(rng.sample([i for i, s in enumerate(statuses) if s == "building"], 3))
    tracks, milestones = [], []
    for i, (project, status) in enumerate(zip(projects, statuses, strict=True)):
        late = i in delayed or status == "paused"
        track, steps = _track(project, status, late, rng)
        track.school = _school_for(project, schools)
        track.location = track.school.name if track.school else rng.choice(LOCATIONS)
        track.lead_unit, track.updated_by = lead, users["admin"]
        tracks.append(track)
        milestones += steps
    ProjectTrack.objects.bulk_create(tracks)
    Milestone.objects.bulk_create(milestones)
    return {"work_project": len(tracks), "work_milestone": len(milestones)}


def _track(
    project: KeyProject, status: str, late: bool, rng: random.Random
) -> tuple[ProjectTrack, list[Milestone]]:
    build = _is_build(project)
    budget = rng.randint(3000, 30000) if build else rng.randint(300, 3000)
    share = {"done": (0.95, 1.0), "building": (0.3, 0.85), "planned": (0.0, 0.05), "paused": (0.1, 0.4)}
    spent = round(budget * rng.uniform(*share[status]), 2)
    if status == "planned":
        start = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 120))
    else:
        start = dt.date(rng.randint(2021, 2024), rng.randint(1, 12), 1)
    if status == "done":
        end = min(start + dt.timedelta(days=rng.randint(400, 900)), TODAY - dt.timedelta(days=60))
    elif late:  # due within the last year or the next months, a step already behind
        end = TODAY + dt.timedelta(days=rng.randint(-200, 120))
    else:
        end = max(start + dt.timedelta(days=500), TODAY + dt.timedelta(days=rng.randint(60, 400)))
    names = BUILD_STEPS if build else PROGRAMME_STEPS
    names = names[: rng.randint(4, len(names))] if len(names) > 4 else names
    steps = _milestones(project, names, start, end, status, late, rng)
    finished = steps[-1].done_on if status == "done" else None
    note = {
        "done": "项目已完工并投入使用。",
        "building": "项目按计划推进。"
        if not late
        else "受资金拨付和施工进度影响，部分节点滞后，正在督促加快进度。",
        "planned": "前期手续办理中，计划“十五五”初期开工。",
        "paused": "因用地调整暂缓实施，待规划调整后恢复。",
    }[status]
    track = ProjectTrack(
        project=project,
        status=status,
        budget=Decimal(budget),
        spent=Decimal(str(spent)),
        start_on=start,
        end_on=end,
        finished_on=finished,
        note=note,
    )
    return track, steps


def _milestones(
    project: KeyProject,
    names: tuple[str, ...],
    start: dt.date,
    end: dt.date,
    status: str,
    late: bool,
    rng: random.Random,
) -> list[Milestone]:
    span = max((end - start).days, len(names) * 30)
    planned = [start + dt.timedelta(days=span * i // (len(names) - 1)) for i in range(len(names))]
    planned[0] -= dt.timedelta(days=45)  # approval comes before the start
    steps = []
    behind = False
    for order, (name, on) in enumerate(zip(names, planned, strict=True)):
        done: dt.date | None = None
        if status == "done":
            done = on + dt.timedelta(days=rng.randint(-10, 25))
        elif on < TODAY and not behind:
            if late and order >= 2:
                behind = True  # the first step past its date that is not done: the delay
            else:
                done = on + dt.timedelta(days=rng.randint(-5, 20))
        if done is not None:
            done = min(done, TODAY - dt.timedelta(days=1))
        note = "已逾期未完成" if behind and done is None and on < TODAY else ""
        steps.append(
            Milestone(project=project, name=name, planned_on=on, done_on=done, order=order, note=note)
        )
    if late and not behind:  # make sure the delay shows: the last step past its date is not done yet
        past = [m for m in steps if m.planned_on < TODAY]
        if past:
            past[-1].done_on, past[-1].note = None, "已逾期未完成"
    return steps
