"""Demo data of 义务教育入学网上办 (online enrollment), called by demo.generator.build_demo after the work
demo; deleted by ``delete_admission_demo`` from demo.reset.

Two 招生批次 of the demo county, deterministic from the seed (only the open round's dates follow the build
day, so that parents can apply in it):

- the 2025 小学一年级 round, 已公布: 招生片区 (2–6 社区/村/小区 per public primary school, named after its
  镇/街道; urban schools get 小区), 招生计划 from the registry's 2025 一年级 (places = the pupils it took in,
  classes = its 一年级 classes), applications ≈ that intake (children born 2018-09-01 … 2019-08-31, valid
  身份证号) with mixed tiers — urban schools oversubscribed, so 电脑派位 is needed — a few rejected or
  withdrawn with a reason; no uploaded documents. Placement and publication go through the real services
  (``admission.placing.run_placement`` with the fixed seed ``PLACEMENT_SEED``, then ``placing.publish``).
- an OPEN 2027 小学一年级 round (opens build day − 7, closes build day + 60) with the 2025 round's areas and
  quotas, and ~20 applications at the demo ``school`` account's school (待审核, 需补充材料 with a reason,
  审核通过) so that the school has work to do; parents' phones 1380000xxxx.

Rows are written set-based (``insert_frame``: the historical submission times are kept, which ``auto_now_add``
would overwrite). 公民同招: the demo county has no private primary school, so no application chooses one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.test.utils import override_settings
from django.utils import timezone

from edubrain.admission import placing, receipts, rounds
from edubrain.admission.models import (
    AdmissionRound,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CatchmentArea,
    Draw,
    Quota,
    Stage,
)
from edubrain.base.frames import insert_frame, queryset_frame, update_frame
from edubrain.base.orgtree import OrgUnit
from edubrain.core.enrollment.tiers import DEFAULT_POLICY_CATEGORIES, tier_of
from edubrain.core.stages import NINE_YEAR, PRIMARY_SCHOOL
from edubrain.demo.catalog import URBAN, load_json
from edubrain.demo.people import IdMaker, NameMaker, adult_birth_date
from edubrain.demo.work_texts import TZ
from edubrain.registry.models import Enrollment, School

__all__ = ["PLACEMENT_SEED", "build_admission_demo", "delete_admission_demo"]

SALT = 0x0E_2025
PAST_YEAR = 2025
OPEN_YEAR = 2027
PLACEMENT_SEED = "2025-demo"
ENTRY_GRADE = "11"  # 一年级
PAST_OPENS, PAST_CLOSES = dt.date(2025, 7, 1), dt.date(2025, 7, 15)
OPEN_BEFORE, OPEN_AFTER = 7, 60  # the open round: build day − 7 … build day + 60
OPEN_APPLICATIONS = {"submitted": 9, "more": 5, "approved": 6}  # at the school account's school
PAST_PHONE, OPEN_PHONE = "137", "1380000"
# applicants per planned place: urban schools oversubscribed, the others with room to spare
URBAN_DEMAND = 1.2
OTHER_DEMAND = (0.8, 0.95)
# share of applicants by situation (户籍在片区, 房产在片区, 居住证) in urban and other schools
SITUATIONS = (  # (hukou, property, permit), urban weight, other weight
    ((True, True, False), 60, 80),
    ((True, False, False), 10, 10),
    ((False, True, False), 10, 4),
    ((False, False, True), 15, 4),
    ((False, False, False), 5, 2),
)
POLICY_SHARE = 0.01
REJECT_SHARE, WITHDRAW_SHARE = 0.03, 0.02
REJECT_REASONS = (
    "所报居住片区与户口本、房产证地址均不一致，且未提供在片区居住的证明",
    "户口本照片中儿童页缺失，补充期限内未上传",
    "房产证明为他人所有，不能作为在片区有房产的证明",
)
WITHDRAW_REASONS = ("家长撤回：随父母工作调动到外地就读", "家长撤回：已在户籍地报名")
MORE_REASONS = (
    "户口本照片不清晰，请重新上传户口本首页和儿童本人页",
    "请补充上传房产证（或不动产权证书）照片",
    "居住证已过有效期，请上传在有效期内的居住证",
)
RELATIONS = ("父亲", "母亲")
ESTATE_WORDS = ("阳光", "锦绣", "和谐", "幸福", "翡翠", "御景", "东方", "滨河")
ESTATE_WORDS += ("花园", "文昌", "丽景", "新城", "书香", "金域", "瑞园", "馨苑")
COMMUNITY_WORDS = ("东", "西", "南", "北", "中心", "新华", "胜利", "健康", "振兴", "螳螂河")


# ---------------------------------------------------------------- build


def build_admission_demo(
    county: OrgUnit, users: dict[str, Any], seed: int, today: dt.date | None = None
) -> dict[str, int]:
    """Write both rounds (see the module docstring); rows written per table (keys ``admission_*``)."""
    rng = random.Random(seed * 1_000_003 + SALT)
    today = today or timezone.localdate()
    admin = users["admin"]
    schools = _entry_schools(county)
    past = rounds.create_round(
        county, year=PAST_YEAR, stage=Stage.PRIMARY, opens_on=PAST_OPENS, closes_on=PAST_CLOSES, user=admin
    )
    AdmissionRound.objects.filter(pk=past.pk).update(review_until=dt.date(2025, 7, 25))
    _set_quotas(past, schools)
    areas = _write_areas(past, schools, rng)
    rounds.set_status(past, AdmissionRound.Status.OPEN, admin)
    applications = _past_applications(past, schools, areas, users, rng)
    rounds.set_status(past, AdmissionRound.Status.CLOSED, admin)
    with _sms_kept_in_memory():  # the demo's parents are fictional: no messages on the console
        summary = placing.run_placement(past, admin, seed=PLACEMENT_SEED)
        placing.publish(past, admin)
    current = rounds.create_round(
        county,
        year=OPEN_YEAR,
        stage=Stage.PRIMARY,
        opens_on=today - dt.timedelta(days=OPEN_BEFORE),
        closes_on=today + dt.timedelta(days=OPEN_AFTER),
        user=admin,
        copy_from=past,
    )
    rounds.set_status(current, AdmissionRound.Status.OPEN, admin)
    opened = _open_applications(current, users, today, rng)
    return {
        "admission_round": 2,
        "admission_area": CatchmentArea.objects.filter(round__in=(past, current)).count(),
        "admission_quota": Quota.objects.filter(round__in=(past, current)).count(),
        "admission_application": applications + opened,
        "admission_event": ApplicationEvent.objects.filter(application__round__in=(past, current)).count(),
        "admission_draw": summary.draws,
        "admission_admitted": summary.admitted,
    }


@contextmanager
def _sms_kept_in_memory() -> Iterator[None]:
    with override_settings(EDUBRAIN={**settings.EDUBRAIN, "SMS_BACKEND": "memory"}):
        yield


def _entry_schools(county: OrgUnit) -> pl.DataFrame:
    """Public primary and 九年一贯制 schools open in 2025: id, code, town_id, town, urban, intake, classes."""
    shorts = {t["name"]: t.get("short", t["name"][:-2]) for t in load_json("demo_county.json")["towns"]}
    schools = queryset_frame(
        School.objects.filter(
            Q(closed_year__isnull=True) | Q(closed_year__gt=PAST_YEAR),
            org_unit__path__startswith=county.path,
            school_type__in=(PRIMARY_SCHOOL, NINE_YEAR),
            ownership="public",
        ).order_by("code"),
        ["id", "code", "town_id", "town__name", "locality"],
    )
    intake = pl.DataFrame(
        list(
            Enrollment.objects.filter(
                school_year__start_year=PAST_YEAR,
                school_class__grade_code=ENTRY_GRADE,
                school_class__school_id__in=schools["id"].to_list(),
            )
            .values_list("school_class__school_id")
            .annotate(pupils=Count("id"), classes=Count("school_class_id", distinct=True))
            .order_by()
        ),
        schema={"id": pl.Int64, "pupils": pl.Int64, "classes": pl.Int64},
        orient="row",
    )
    return (
        schools.join(
            intake,
            on="id",
            how="inner",
        )
        .with_columns(
            (pl.col("locality") == URBAN).alias("urban"),
            pl.col("town__name").replace(shorts).alias("town"),
        )
        .sort("code")
    )


def _set_quotas(round_: AdmissionRound, schools: pl.DataFrame) -> None:
    """招生计划 = the 2025 一年级 each school took in; schools without a 2025 一年级 are left out."""
    quotas = queryset_frame(Quota.objects.filter(round=round_), ["id", "school_id"])
    plan = quotas.join(schools.select(pl.col("id").alias("school_id"), "pupils", "classes"), on="school_id")
    Quota.objects.filter(round=round_).exclude(pk__in=plan["id"].to_list()).delete()
    update_frame(Quota, plan.select("id", pl.col("pupils").alias("places"), "classes"))


def _area_names(town: str, urban: bool, villages: list[str]) -> Iterator[tuple[str, str]]:
    """Unique (name, kind) of one 镇/街道's 社区/村/小区: 小区 and 社区 in town, the town seat's 社区 then
    村 elsewhere."""
    if urban:
        for i, word in enumerate(ESTATE_WORDS):
            yield f"{word}小区", CatchmentArea.Kind.ESTATE
            yield f"{town}{COMMUNITY_WORDS[i % len(COMMUNITY_WORDS)]}社区", CatchmentArea.Kind.COMMUNITY
    else:
        yield f"{town}社区", CatchmentArea.Kind.COMMUNITY
        for village in villages:
            yield f"{village}村", CatchmentArea.Kind.VILLAGE
    for n in range(1, 10_000):
        yield f"{town}第{n}片区", CatchmentArea.Kind.COMMUNITY


def _write_areas(round_: AdmissionRound, schools: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    """2–6 areas per school; returns id, school_id, name, kind of the written areas."""
    villages = list(load_json("demo_county.json")["villages"])
    pools: dict[int, Iterator[tuple[str, str]]] = {}
    rows = []
    for school_id, town_id, town, urban in schools.select("id", "town_id", "town", "urban").iter_rows():
        if town_id not in pools:
            rng.shuffle(villages)
            pools[town_id] = _area_names(town, urban, list(villages))
        for _ in range(rng.randint(2, 6)):
            name, kind = next(pools[town_id])
            rows.append((round_.pk, town_id, name, str(kind), school_id))
    frame = pl.DataFrame(
        rows, schema=["round_id", "town_id", "name", "kind", "school_id"], orient="row"
    ).cast({"round_id": pl.Int64, "town_id": pl.Int64, "school_id": pl.Int64})
    insert_frame(CatchmentArea, frame)
    return queryset_frame(CatchmentArea.objects.filter(round=round_), ["id", "school_id", "name", "kind"])


class _People:
    """Children and guardians: names, 身份证号 (unique), birth dates, from the demo's own makers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.name = NameMaker(rng)
        self.id = IdMaker(rng)
        self.receipts: set[str] = set()

    def receipt(self, round_: AdmissionRound) -> str:
        """A receipt number of the real format (``admission.receipts``), drawn from the seed."""
        while True:
            number = receipts.prefix(round_) + "".join(
                self.rng.choice(receipts.ALPHABET) for _ in range(receipts.RANDOM_CHARS)
            )
            if number not in self.receipts:
                self.receipts.add(number)
                return number

    def application(
        self, round_: AdmissionRound, area: tuple[int, int, str, str], situation: tuple[bool, bool, bool]
    ) -> dict[str, Any]:
        rng = self.rng
        area_id, school_id, area_name, kind = area
        hukou, property_, permit = situation
        policy = rng.choice(DEFAULT_POLICY_CATEGORIES) if rng.random() < POLICY_SHARE else ""
        male = rng.random() < 0.52
        first = dt.date(round_.year - 7, 9, 1)
        birth = first + dt.timedelta(days=rng.randrange(365))
        region = self.id.region(permit)
        father = self.name(True)
        surname = father[0] if rng.random() < 0.9 else self.name(True)[0]
        relation = rng.choice(RELATIONS)
        guardian = father if relation == "父亲" else self.name(False)
        number = rng.randint(1, 40 if kind == CatchmentArea.Kind.VILLAGE else 28)
        address = (
            f"{area_name}{number}号"
            if kind == CatchmentArea.Kind.VILLAGE
            else f"{area_name}{number}号楼{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
        )
        return {
            "round_id": round_.pk,
            "receipt_no": self.receipt(round_),
            "child_name": surname + self.name(male)[1:],
            "child_id_number": self.id(birth, male, region),
            "child_sex": "M" if male else "F",
            "child_birth_date": birth,
            "guardian_name": guardian,
            "guardian_relation": relation,
            "guardian_id_number": self.id(
                adult_birth_date(rng, rng.randint(1984, 1994)), relation == "父亲", region
            ),
            "area_id": area_id,
            "address": address,
            "hukou_in_area": hukou,
            "property_in_area": property_,
            "residence_permit": permit,
            "policy_category": policy,
            "zone_school_id": school_id,
            "school_id": school_id,
            "tier": tier_of(
                hukou_in_area=hukou, property_in_area=property_, residence_permit=permit, policy=bool(policy)
            ),
        }


def _past_applications(
    round_: AdmissionRound,
    schools: pl.DataFrame,
    areas: pl.DataFrame,
    users: dict[str, Any],
    rng: random.Random,
) -> int:
    """The 2025 applications, reviewed (审核通过, a few 审核未通过 or 已撤回), with their events."""
    people = _People(rng)
    by_school: dict[int, list[tuple[int, int, str, str]]] = {}
    for row in areas.iter_rows():
        by_school.setdefault(row[1], []).append(row)
    situations = [s for s, _, _ in SITUATIONS]
    rows = []
    for school_id, urban, pupils in schools.select("id", "urban", "pupils").iter_rows():
        demand = URBAN_DEMAND if urban else rng.uniform(*OTHER_DEMAND)
        count = math.ceil(pupils * demand) + (2 if urban else 0)
        weights = [u if urban else o for _, u, o in SITUATIONS]
        for _ in range(count):
            situation = rng.choices(situations, weights=weights)[0]
            rows.append(people.application(round_, rng.choice(by_school[school_id]), situation))
    reviewer = _reviewers(users)
    for phone, row in enumerate(rows, start=1):
        row["phone"] = f"{PAST_PHONE}{phone:08d}"
        submitted = _moment(PAST_OPENS, rng.randrange((PAST_CLOSES - PAST_OPENS).days + 1), rng)
        draw = rng.random()
        if draw < REJECT_SHARE:
            status, note = Application.Status.REJECTED, rng.choice(REJECT_REASONS)
        elif draw < REJECT_SHARE + WITHDRAW_SHARE:
            status, note = Application.Status.WITHDRAWN, rng.choice(WITHDRAW_REASONS)
        else:
            status, note = Application.Status.APPROVED, ""
        decided = submitted + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
        row |= {
            "status": str(status),
            "status_note": note,
            "submitted_at": submitted,
            "updated_at": decided,
            "decided_at": None if status == Application.Status.WITHDRAWN else decided,
            "_actor": None if status == Application.Status.WITHDRAWN else reviewer(row["school_id"]),
        }
    return _insert(round_, rows)


def _open_applications(
    round_: AdmissionRound, users: dict[str, Any], today: dt.date, rng: random.Random
) -> int:
    """~20 applications at the school account's school in the open round: 待审核, 需补充材料, 审核通过."""
    school_user = users["school"]
    school = School.objects.get(org_unit=school_user.org_unit)
    areas = list(
        CatchmentArea.objects.filter(round=round_, school=school)
        .order_by("id")
        .values_list("id", "school_id", "name", "kind")
    )
    if not areas:
        return 0
    people = _People(rng)
    opened = max(round_.opens_on, today - dt.timedelta(days=OPEN_BEFORE))
    days = max((today - opened).days, 1)
    situations = [s for s, _, _ in SITUATIONS]
    weights = [u for _, u, _ in SITUATIONS]
    rows = []
    statuses = [s for s, n in OPEN_APPLICATIONS.items() for _ in range(n)]
    for i, status in enumerate(statuses, start=1):
        row = people.application(round_, rng.choice(areas), rng.choices(situations, weights=weights)[0])
        submitted = _moment(opened, rng.randrange(days), rng)
        decided = None if status == "submitted" else submitted + dt.timedelta(hours=rng.randint(1, 10))
        row |= {
            "phone": f"{OPEN_PHONE}{i:04d}",
            "status": status,
            "status_note": rng.choice(MORE_REASONS) if status == "more" else "",
            "submitted_at": submitted,
            "updated_at": decided or submitted,
            "decided_at": decided,
            "_actor": None if decided is None else school_user.pk,
        }
        rows.append(row)
    return _insert(round_, rows)


def _reviewers(users: dict[str, Any]) -> Any:
    """The reviewer of a school's applications: the school account at its school, else the bureau admin."""
    school_user, admin = users["school"], users["admin"]
    own = School.objects.filter(org_unit=school_user.org_unit).values_list("id", flat=True).first()
    return lambda school_id: school_user.pk if school_id == own else admin.pk


def _moment(first: dt.date, days: int, rng: random.Random) -> dt.datetime:
    """A time of day (08:00–21:59, Asia/Shanghai) ``days`` after ``first``, in UTC."""
    local = dt.datetime.combine(
        first + dt.timedelta(days=days), dt.time(rng.randint(8, 21), rng.randrange(60))
    )
    return local.replace(tzinfo=TZ).astimezone(dt.UTC)


EVENT_OF = {
    "approved": ApplicationEvent.Action.APPROVE,
    "rejected": ApplicationEvent.Action.REJECT,
    "withdrawn": ApplicationEvent.Action.WITHDRAW,
    "more": ApplicationEvent.Action.REQUEST,
}


def _insert(round_: AdmissionRound, rows: list[dict[str, Any]]) -> int:
    """Insert the applications, then their events: 提交申请 and the decision (its note = the reason)."""
    if not rows:
        return 0
    frame = pl.DataFrame(rows, infer_schema_length=None).sort("receipt_no")
    insert_frame(Application, frame.drop("_actor"))
    ids = queryset_frame(Application.objects.filter(round=round_), ["id", "receipt_no"])
    frame = frame.join(ids, on="receipt_no")
    submit = frame.select(
        pl.col("id").alias("application_id"),
        pl.col("submitted_at").alias("at"),
        pl.lit(None, dtype=pl.Int64).alias("actor_id"),
        pl.lit(str(ApplicationEvent.Action.SUBMIT)).alias("action"),
        pl.lit("").alias("note"),
    )
    decided = frame.filter(pl.col("status").is_in(list(EVENT_OF))).select(
        pl.col("id").alias("application_id"),
        pl.col("updated_at").alias("at"),
        pl.col("_actor").cast(pl.Int64).alias("actor_id"),
        pl.col("status").replace_strict({k: str(v) for k, v in EVENT_OF.items()}).alias("action"),
        pl.col("status_note").alias("note"),
    )
    insert_frame(ApplicationEvent, pl.concat([submit, decided]).sort("application_id", "at"))
    return frame.height


# ---------------------------------------------------------------- delete


def _raw_delete(qs: QuerySet) -> int:
    return qs._raw_delete(qs.db)  # noqa: SLF001 — set-based delete without loading rows


def delete_admission_demo(prefix: str) -> dict[str, int]:
    """Delete the rounds of the counties under the org-tree path prefix, and any application of the prefix's
    schools, with their documents, events, draws, quotas and areas; rows deleted per table. (Application
    PROTECTs its round, area and schools: applications go before areas, quotas and rounds.)"""
    rounds_ = Q(round__county__path__startswith=prefix)
    schools = Q(school__org_unit__path__startswith=prefix)
    applications = rounds_ | schools
    of_applications = Q(application__round__county__path__startswith=prefix) | Q(
        application__school__org_unit__path__startswith=prefix
    )
    steps: list[tuple[str, QuerySet]] = [
        ("admission_document", ApplicationDocument.objects.filter(of_applications)),
        ("admission_event", ApplicationEvent.objects.filter(of_applications)),
        ("admission_application", Application.objects.filter(applications)),
        ("admission_draw", Draw.objects.filter(rounds_ | schools)),
        ("admission_quota", Quota.objects.filter(rounds_ | schools)),
        ("admission_area", CatchmentArea.objects.filter(rounds_ | schools)),
        ("admission_round", AdmissionRound.objects.filter(county__path__startswith=prefix)),
    ]
    return {name: _raw_delete(qs) for name, qs in steps}
