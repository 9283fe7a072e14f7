"""教师资质: subjects, 学历, 学前教育专业, 双师型, titles and tiers, calibrated to Table 1 for 2020 and 2025.

A share is a property of who is employed in a year, so a target pair (2020, 2025) is met by choosing how many
teachers carry the attribute among leavers (active 2020 only), stayers (both years) and new hires (2025 only).
城市/农村: 城区 schools count as 城市, 镇区 and 乡村 as 农村.
"""

from __future__ import annotations

import random

from edubrain.core.stages import KINDERGARTEN, VOCATIONAL
from edubrain.demo.catalog import URBAN, YEARS, SchoolSpec
from edubrain.demo.plan_staff import Person
from edubrain.demo.targets import TEACHER_TARGETS

COMPULSORY_TYPES = ("primary", "junior", "nine_year")
UPPER_TYPES = ("senior_high", VOCATIONAL)
_SUBJECTS = {
    "primary": (
        ("语文", 34),
        ("数学", 28),
        ("英语", 8),
        ("科学", 5),
        ("体育", 6),
        ("音乐", 4),
        ("美术", 4),
        ("道德与法治", 4),
        ("信息技术", 2),
        ("心理健康", 1),
        ("劳动", 2),
        ("综合实践", 2),
    ),
    "junior": (
        ("语文", 14),
        ("数学", 14),
        ("英语", 13),
        ("物理", 7),
        ("化学", 5),
        ("生物", 6),
        ("道德与法治", 6),
        ("历史", 6),
        ("地理", 5),
        ("体育", 7),
        ("音乐", 3),
        ("美术", 3),
        ("信息技术", 3),
        ("心理健康", 1),
    ),
    "senior_high": (
        ("语文", 13),
        ("数学", 13),
        ("英语", 13),
        ("物理", 9),
        ("化学", 8),
        ("生物", 8),
        ("政治", 7),
        ("历史", 7),
        ("地理", 7),
        ("体育", 6),
        ("音乐", 2),
        ("美术", 2),
        ("信息技术", 3),
        ("心理健康", 1),
    ),
    VOCATIONAL: (
        ("语文", 10),
        ("数学", 10),
        ("英语", 8),
        ("政治", 5),
        ("体育", 5),
        ("信息技术", 7),
        ("历史", 3),
        ("心理健康", 2),
    ),
}


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def calibrate_share(people: list[Person], p0: float, p1: float, rng: random.Random) -> set[int]:
    """Choose who carries a binary attribute so its share among those active is p0 in 2020 and p1 in 2025."""
    first, last = YEARS[0], YEARS[-1]
    a = [p.pid for p in people if p.active(first) and not p.active(last)]
    b = [p.pid for p in people if p.active(first) and p.active(last)]
    c = [p.pid for p in people if p.active(last) and not p.active(first)]
    d = [p.pid for p in people if not p.active(first) and not p.active(last)]
    rate_c = min(1.0, max(0.0, p1 + 1.5 * (p1 - p0)))
    x_c = round(rate_c * len(c))
    x_b = min(len(b), max(0, round(p1 * (len(b) + len(c))) - x_c))
    x_c = min(len(c), max(0, round(p1 * (len(b) + len(c))) - x_b))
    x_a = min(len(a), max(0, round(p0 * (len(a) + len(b))) - x_b))
    x_d = round((p0 + p1) / 2 * len(d))
    chosen: set[int] = set()
    for group, x in ((a, x_a), (b, x_b), (c, x_c), (d, x_d)):
        chosen.update(rng.sample(group, x))
    return chosen


def urban_rural_targets(n_urban: int, n_rural: int, share: float, ratio: float) -> tuple[float, float]:
    """Shares (城市, 农村) with the given overall share and 城市:农村 ratio."""
    rural = share * (n_urban + n_rural) / (ratio * n_urban + n_rural) if n_urban + n_rural else share
    return min(1.0, ratio * rural), rural


def _calibrated(people: list[Person], key: str, rng: random.Random) -> set[int]:
    t = TEACHER_TARGETS[key]
    return calibrate_share(people, t[0], t[1], rng)


def assign_qualifications(people: list[Person], schools: list[SchoolSpec], rng: random.Random) -> None:
    """Fill ``Person.attrs``: subject, education, preschool_major, professional, dual, title, tier."""
    teachers = [p for p in people if p.post == "teacher"]
    by_type = {
        t: [p for p in teachers if schools[p.school].school_type in t]
        for t in ((KINDERGARTEN,), COMPULSORY_TYPES, UPPER_TYPES)
    }
    preschool = _calibrated(by_type[(KINDERGARTEN,)], "preschool_major", rng)
    postgrad = _calibrated(by_type[UPPER_TYPES], "senior_postgrad", rng)
    vocational = [p for p in by_type[UPPER_TYPES] if schools[p.school].school_type == VOCATIONAL]
    professional = set(rng.sample([p.pid for p in vocational], round(len(vocational) * 0.55)))
    dual = _calibrated([p for p in vocational if p.pid in professional], "dual_qualified", rng)
    bachelor: set[int] = set()
    compulsory = by_type[COMPULSORY_TYPES]
    urban = [p for p in compulsory if schools[p.school].locality == URBAN]
    rural = [p for p in compulsory if schools[p.school].locality != URBAN]
    share, ratio = TEACHER_TARGETS["compulsory_bachelor"], TEACHER_TARGETS["urban_rural_ratio"]
    ends = [
        urban_rural_targets(sum(p.active(y) for p in urban), sum(p.active(y) for p in rural), s, r)
        for y, s, r in ((YEARS[0], share[0], ratio[0]), (YEARS[-1], share[1], ratio[1]))
    ]
    bachelor |= calibrate_share(urban, ends[0][0], ends[1][0], rng)
    bachelor |= calibrate_share(rural, ends[0][1], ends[1][1], rng)
    for p in people:
        stype = schools[p.school].school_type
        a = p.attrs
        new = p.joined > YEARS[0]
        if p.post != "teacher":
            a["education"] = rng.choices(["bachelor", "college", "high"], weights=[50, 35, 15])[0]
            if p.post == "admin" and rng.random() < 0.25:
                a["education"] = "postgrad"
        elif stype == KINDERGARTEN:
            a["subject"] = "学前教育"
            a["preschool_major"] = p.pid in preschool
            a["education"] = rng.choices(
                ["postgrad", "bachelor", "college", "high"], weights=[2, 75, 23, 0] if new else [1, 50, 45, 4]
            )[0]
        elif stype in COMPULSORY_TYPES:
            junior = stype == "junior" or (stype == "nine_year" and rng.random() < 0.4)
            a["subject"] = _pick(rng, _SUBJECTS["junior" if junior else "primary"])
            if p.pid in bachelor:
                a["education"] = "postgrad" if rng.random() < (0.12 if new else 0.05) else "bachelor"
            else:
                a["education"] = "college" if rng.random() < 0.9 else "high"
        elif stype in UPPER_TYPES:
            a["professional"] = p.pid in professional
            a["dual"] = p.pid in dual
            a["subject"] = "专业课" if a["professional"] else _pick(rng, _SUBJECTS[stype])
            a["education"] = (
                "postgrad" if p.pid in postgrad else ("bachelor" if rng.random() < 0.98 else "college")
            )
        else:  # SPECIAL
            a["subject"] = "特殊教育"
            a["education"] = rng.choices(["postgrad", "bachelor", "college"], weights=[5, 80, 15])[0]
        _title_and_tier(p, rng)


def _title_and_tier(p: Person, rng: random.Random) -> None:
    """专业技术职称 by age; 骨干层级 for some experienced teachers, 名校长 for some heads of school."""
    age = YEARS[-1] - p.birth.year
    a = p.attrs
    if p.post not in ("teacher", "admin"):
        a["title"] = ""
        return
    if p.joined >= YEARS[-1] - 1:
        a["title"] = rng.choice(["", "sanji", "erji"])
    elif age < 30:
        a["title"] = "erji"
    elif age < 40:
        a["title"] = "yiji" if rng.random() < 0.6 else "erji"
    else:
        a["title"] = rng.choices(["zhengji", "gaoji", "yiji"], weights=[1.5, 45, 53.5])[0]
    r = rng.random()
    if p.post == "admin":
        a["tier"] = "famous_principal" if age >= 40 and r < 0.08 else ""
    elif age >= 30:
        a["tier"] = (
            "famous"
            if r < 0.012
            else "famous_ht"
            if r < 0.024
            else "leader"
            if r < 0.055
            else "backbone"
            if r < 0.16
            else ""
        )
    a.setdefault("tier", "")
