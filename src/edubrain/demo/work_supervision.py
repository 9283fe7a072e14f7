"""Demo 督导 (called by demo.work.build_work_demo): inspection rounds over the county's schools, their
checklists, findings with the whole 整改 lifecycle, and 约谈/通报.

- 一月一排查 safety rounds for 2026-01 … 2026-11 (the November round still ongoing), the 2025 and 2026
  经常性督导, and one 专项督导 (课后服务与“双减”) over the compulsory-education schools;
- findings at 15–30 % of a round's schools, mostly 一般; deadline by severity (一般 30, 较重 15, 严重 7
  days); older ones closed (整改 → 复查 → 销号, some after one failed 复查), recent ones open or fixed
  and awaiting 复查, five to eight open past their deadline;
- the demo school (人民路小学) has one open finding and one fixed awaiting 复查;
- 约谈 of a school whose overdue finding repeats an earlier one, and one 通报.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from edubrain.base.orgtree import OrgUnit
from edubrain.core.stages import JUNIOR, PRIMARY, SCHOOL_TYPES
from edubrain.core.work.rectify import default_deadline
from edubrain.demo.work_texts import DEMO_TODAY, POSTS, REGULAR, SAFETY, SPECIAL, STAFF_GIVEN, SURNAMES, at
from edubrain.registry.models import School
from edubrain.work.models import (
    ChecklistItem,
    Escalation,
    Finding,
    FindingEvent,
    FindingStatus,
    InspectionKind,
    InspectionRound,
    Severity,
)
from edubrain.work.supervision import rectify_days

TODAY = DEMO_TODAY
OVERDUE_TARGET = 6

FIX_TEXT = "已按整改要求完成整改，整改照片和相关记录已留存。"


def _rounds() -> list[tuple[str, str, dt.date, dt.date, tuple[Any, ...], bool]]:
    """(kind, name, start, end, checklist, compulsory schools only)."""
    out: list[tuple[Any, ...]] = [
        (
            InspectionKind.REGULAR,
            "2025年度中小学幼儿园经常性督导",
            dt.date(2025, 4, 7),
            dt.date(2025, 6, 20),
            REGULAR,
            False,
        ),
        (
            InspectionKind.REGULAR,
            "2026年度中小学幼儿园经常性督导",
            dt.date(2026, 4, 6),
            dt.date(2026, 6, 19),
            REGULAR,
            False,
        ),
    ]
    for month in range(1, 12):
        start = dt.date(2026, month, 3 if month < 11 else 16)
        end = dt.date(2026, month, 20 if month < 11 else 30)
        out.append(
            (
                InspectionKind.SAFETY,
                f"2026年{month}月校园安全隐患排查（一月一排查）",
                start,
                end,
                SAFETY,
                False,
            )
        )
    out.append(
        (
            InspectionKind.SPECIAL,
            "2026年秋季学期课后服务与“双减”落实情况专项督导",
            dt.date(2026, 10, 12),
            dt.date(2026, 11, 6),
            SPECIAL,
            True,
        )
    )
    return sorted(out, key=lambda r: r[2])


def _compulsory(school: School) -> bool:
    return bool({PRIMARY, JUNIOR} & set(SCHOOL_TYPES[school.school_type][1]))


def build_supervision(county: OrgUnit, users: dict[str, Any], rng: random.Random) -> dict[str, int]:
    schools = list(School.objects.filter(org_unit__path__startswith=county.path).order_by("org_unit__path"))
    inspectors = [users["admin"], users["staff"]]
    rounds, targets, items, plans = [], [], [], []
    for kind, name, start, end, checklist, compulsory in _rounds():
        status = InspectionRound.Status.DONE if end < TODAY else InspectionRound.Status.ONGOING
        rnd = InspectionRound(
            county=county,
            kind=kind,
            name=name,
            start_on=start,
            end_on=end,
            status=status,
            lead_inspector=users["staff"],
            created_by=users["admin"],
            note="对照检查清单逐项检查，发现问题当场反馈，下达整改通知。",
        )
        chosen = [s for s in schools if _compulsory(s)] if compulsory else schools
        rounds.append(rnd)
        targets.append(chosen)
        prefix = {"safety": "AQ", "regular": "DD", "special": "ZX"}[kind]
        items.append(
            [
                ChecklistItem(code=f"{prefix}{i + 1:02d}", category=c[0], text=c[1], order=i)
                for i, c in enumerate(checklist)
            ]
        )
    InspectionRound.objects.bulk_create(rounds)
    through = InspectionRound.targets.through
    through.objects.bulk_create(
        [
            through(inspectionround_id=r.pk, orgunit_id=s.org_unit_id)
            for r, chosen in zip(rounds, targets, strict=True)
            for s in chosen
        ]
    )
    for rnd, rows in zip(rounds, items, strict=True):
        for row in rows:
            row.inspection = rnd
    ChecklistItem.objects.bulk_create([row for rows in items for row in rows])
    catalogue = {"safety": SAFETY, "regular": REGULAR, "special": SPECIAL}
    for rnd, chosen, rows in zip(rounds, targets, items, strict=True):
        share = rng.uniform(0.15, 0.30)
        for school in chosen:
            if rng.random() < share:
                plans.append(_plan(rnd, school.org_unit_id, rows, catalogue[rnd.kind], rng, inspectors))
    _force_overdue(plans, rng)
    school_unit = users["school"].org_unit_id
    plans += _demo_school(rounds, items, school_unit, inspectors)
    repeat = _repeat(plans, rounds, items, catalogue, inspectors)
    if repeat is not None:
        plans.append(repeat)
    checks = sum(len(rows) for rows in items)
    return {"work_round": len(rounds), "work_checklist": checks, **_write(plans, users, school_unit)}


def _plan(
    rnd: InspectionRound,
    unit_id: int,
    items: list[ChecklistItem],
    texts: tuple[Any, ...],
    rng: random.Random,
    inspectors: list[Any],
) -> dict[str, Any]:
    """One finding and its lifecycle, drawn from the dates (older ones closed, recent ones open or fixed)."""
    item = rng.choice(items)
    spec = texts[item.order]
    draw = rng.random()
    severity = Severity.MINOR if draw < 0.75 else Severity.MAJOR if draw < 0.95 else Severity.SERIOUS
    found = rnd.start_on + dt.timedelta(
        days=rng.randint(0, max(0, (min(rnd.end_on, TODAY) - rnd.start_on).days))
    )
    deadline = default_deadline(severity, found, rectify_days())
    plan = {
        "round": rnd,
        "unit": unit_id,
        "item": item,
        "severity": severity,
        "found": found,
        "deadline": deadline,
        "description": rng.choice(spec[2]),
        "requirement": spec[3],
        "person": f"{rng.choice(SURNAMES)}{rng.choice(STAFF_GIVEN)}（{rng.choice(POSTS)}）",
        "inspector": rng.choice(inspectors),
        "steps": [],
    }
    fix = found + dt.timedelta(days=rng.randint(2, (deadline - found).days))
    if rng.random() < 0.08:
        fix = deadline + dt.timedelta(days=rng.randint(2, 12))  # fixed late
    if deadline < TODAY - dt.timedelta(days=20):
        if rng.random() < 0.12 and deadline < TODAY - dt.timedelta(days=40):
            again = fix + dt.timedelta(days=rng.randint(3, 6))
            second = again + dt.timedelta(days=rng.randint(3, 10))
            plan["steps"] = [
                ("fix", fix),
                ("fail", again),
                ("fix", second),
                ("pass", second + dt.timedelta(days=rng.randint(2, 6))),
            ]
        else:
            plan["steps"] = [("fix", fix), ("pass", fix + dt.timedelta(days=rng.randint(2, 8)))]
    else:
        draw = rng.random()
        if draw < 0.35 and fix < TODAY:
            plan["steps"] = [("fix", fix)]
        elif draw < 0.6 and fix + dt.timedelta(days=3) < TODAY:
            plan["steps"] = [("fix", fix), ("pass", fix + dt.timedelta(days=3))]
        elif deadline < TODAY:  # not left overdue by chance: _force_overdue picks those
            plan["steps"] = [("fix", min(fix, TODAY - dt.timedelta(days=1)))]
    plan["steps"] = [(a, min(d, TODAY)) for a, d in plan["steps"]]
    return plan


def _force_overdue(plans: list[dict[str, Any]], rng: random.Random) -> None:
    """Leave about six findings of the last months open past their deadline (one after a failed 复查)."""
    candidates = [p for p in plans if p["deadline"] < TODAY and p["found"] >= dt.date(2026, 7, 1)]
    chosen = rng.sample(candidates, min(OVERDUE_TARGET, len(candidates)))
    for i, plan in enumerate(chosen):
        if i == 0 and plan["deadline"] - plan["found"] > dt.timedelta(days=6):
            fix = plan["found"] + dt.timedelta(days=3)
            plan["steps"] = [("fix", fix), ("fail", fix + dt.timedelta(days=2))]
        else:
            plan["steps"] = []
        plan["overdue"] = True


def _demo_school(
    rounds: list[InspectionRound], items: list[list[ChecklistItem]], unit_id: int, inspectors: list[Any]
) -> list[dict[str, Any]]:
    """The demo school administrator's two findings: one open (not yet due), one fixed awaiting 复查."""
    safety = [(r, rows) for r, rows in zip(rounds, items, strict=True) if r.kind == InspectionKind.SAFETY]
    (october, oct_items), (november, nov_items) = safety[-2], safety[-1]
    common = {
        "unit": unit_id,
        "severity": Severity.MINOR,
        "inspector": inspectors[1],
        "person": "刘建华（分管安全副校长）",
    }
    found_open = dt.date(2026, 11, 18)
    found_fixed = dt.date(2026, 10, 14)
    return [
        {
            **common,
            "round": november,
            "item": nov_items[0],
            "found": found_open,
            "deadline": found_open + dt.timedelta(days=30),
            "description": SAFETY[0][2][0],
            "requirement": SAFETY[0][3],
            "steps": [],
        },
        {
            **common,
            "round": october,
            "item": oct_items[6],
            "found": found_fixed,
            "deadline": found_fixed + dt.timedelta(days=30),
            "description": SAFETY[6][2][0],
            "requirement": SAFETY[6][3],
            "steps": [("fix", dt.date(2026, 11, 10))],
        },
    ]


def _repeat(
    plans: list[dict[str, Any]],
    rounds: list[InspectionRound],
    items: list[list[ChecklistItem]],
    catalogue: dict[str, Any],
    inspectors: list[Any],
) -> dict[str, Any] | None:
    """An earlier, late-fixed finding of the same item at the school of the first overdue one (the 约谈)."""
    overdue = [p for p in plans if p.get("overdue") and p["round"].kind == InspectionKind.SAFETY]
    if not overdue:
        return None
    target = min(overdue, key=lambda p: (p["found"], p["unit"]))
    target["talk"] = True
    earlier = [
        (r, rows)
        for r, rows in zip(rounds, items, strict=True)
        if r.kind == InspectionKind.SAFETY and r.end_on < target["found"] - dt.timedelta(days=60)
    ]
    if not earlier:
        return None
    rnd, rows = earlier[-1]
    item = rows[target["item"].order]
    found = rnd.start_on + dt.timedelta(days=5)
    deadline = default_deadline(Severity.MINOR, found, rectify_days())
    fix, again = deadline + dt.timedelta(days=9), deadline + dt.timedelta(days=12)
    return {
        "round": rnd,
        "unit": target["unit"],
        "item": item,
        "severity": Severity.MINOR,
        "found": found,
        "deadline": deadline,
        "description": target["description"],
        "requirement": target["requirement"],
        "person": target["person"],
        "inspector": inspectors[0],
        "steps": [
            ("fix", fix),
            ("fail", again),
            ("fix", again + dt.timedelta(days=6)),
            ("pass", again + dt.timedelta(days=9)),
        ],
    }


def _write(plans: list[dict[str, Any]], users: dict[str, Any], school_unit: int) -> dict[str, int]:
    plans.sort(key=lambda p: (p["found"], p["round"].pk, p["unit"]))
    findings = [_finding(p, users["school"] if p["unit"] == school_unit else None) for p in plans]
    Finding.objects.bulk_create(findings)
    events: list[FindingEvent] = []
    escalations: list[Escalation] = []
    notices = 0
    for plan, finding in zip(plans, findings, strict=True):
        events.append(
            FindingEvent(
                finding=finding,
                action="order",
                note=plan["requirement"],
                by=plan["inspector"],
                at=at(plan["found"], 11),
            )
        )
        for action, day in plan["steps"]:
            by = finding.fixed_by if action == "fix" else plan["inspector"]
            note = (
                FIX_TEXT
                if action == "fix"
                else "复查通过，同意销号。"
                if action == "pass"
                else "整改不到位，请继续整改。"
            )
            events.append(
                FindingEvent(
                    finding=finding,
                    action=action,
                    note=note,
                    by=by,
                    at=at(day, 15 if action == "fix" else 10),
                )
            )
        kind = "talk" if plan.get("talk") else "notice" if plan.get("overdue") and not notices else ""
        if kind:
            notices += kind == "notice"
            on = min(TODAY - dt.timedelta(days=1), plan["deadline"] + dt.timedelta(days=7))
            label = "约谈学校主要负责人" if kind == "talk" else "在全县教育系统内通报"
            again = "，且同类问题此前已出现" if kind == "talk" else ""
            note = f"“{plan['description']}”逾期未完成整改{again}，{label}。"
            escalations.append(
                Escalation(
                    org_unit_id=plan["unit"], finding=finding, kind=kind, on=on, note=note, by=users["admin"]
                )
            )
            events.append(
                FindingEvent(finding=finding, action="escalate", note=note, by=users["admin"], at=at(on, 16))
            )
    FindingEvent.objects.bulk_create(events)
    Escalation.objects.bulk_create(escalations)
    return {
        "work_finding": len(findings),
        "work_finding_event": len(events),
        "work_escalation": len(escalations),
    }


def _finding(plan: dict[str, Any], school_user: Any) -> Finding:
    finding = Finding(
        inspection=plan["round"],
        org_unit_id=plan["unit"],
        item=plan["item"],
        description=plan["description"],
        severity=plan["severity"],
        found_on=plan["found"],
        inspector=plan["inspector"],
        requirement=plan["requirement"],
        deadline=plan["deadline"],
        responsible_person=plan["person"],
        status=FindingStatus.OPEN,
    )
    fixes = [d for a, d in plan["steps"] if a == "fix"]
    checks = [(a, d) for a, d in plan["steps"] if a in ("pass", "fail")]
    finding.reopen_count = sum(a == "fail" for a, _ in checks)
    if fixes:
        finding.fix_report, finding.fixed_on, finding.fixed_by = FIX_TEXT, fixes[-1], school_user
    if checks:
        action, day = checks[-1]
        finding.recheck_on, finding.rechecked_by = day, plan["inspector"]
        finding.recheck_note = "复查通过，同意销号。" if action == "pass" else "整改不到位，请继续整改。"
    last = plan["steps"][-1][0] if plan["steps"] else ""
    finding.status = {
        "fix": FindingStatus.FIXED,
        "pass": FindingStatus.CLOSED,
        "fail": FindingStatus.REOPENED,
    }.get(last, FindingStatus.OPEN)
    if finding.status == FindingStatus.CLOSED:
        finding.closed_on = finding.recheck_on
    return finding
