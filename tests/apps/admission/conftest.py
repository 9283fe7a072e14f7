"""网上招生 tests: a small county of their own (测试县, factories) with one open primary round, documents in a
tmp directory, text messages kept in memory, and real image bytes to upload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from factories import (
    PASSWORD,
    CountyFactory,
    SchoolFactory,
    TownFactory,
    UserFactory,
    attachments_in,
    make_id_number,
    png_bytes,
)

YEAR = 2027  # the round's autumn: children born on or before 2021-08-31 may apply to 一年级
CUTOFF = dt.date(YEAR - 6, 8, 31)


def photo(name: str = "户口本.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if data is None else data, content_type="image/png")


def child_id(seq: int, birth: dt.date = dt.date(2021, 3, 15), male: bool = True) -> str:
    """A valid 身份证号 of a child (region 3799xx, never the demo's)."""
    return make_id_number(seq, birth, male)


def adult_id(seq: int) -> str:
    return make_id_number(seq, dt.date(1990, 5, 20), seq % 2 == 1)


@dataclass
class World:
    county: Any
    towns: list[Any]
    schools: list[Any]  # public primary schools
    private: Any  # a private primary school (公民同招)
    round: Any
    areas: list[Any]  # two per public school: areas[2*i], areas[2*i+1] → schools[i]
    quotas: dict[int, Any]
    bureau: Any  # bureau_admin of the county
    staff: Any  # bureau_staff
    leader: Any
    heads: list[Any]  # school_admin of each public school
    private_head: Any
    password: str = PASSWORD
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def admission_files(settings, tmp_path):
    """Uploaded documents go to this test's tmp_path; text messages stay in memory (sms.outbox)."""
    attachments_in(settings, tmp_path / "attachments")
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SMS_BACKEND": "memory"}
    from edubrain.admission import sms

    sms.outbox.clear()
    return tmp_path / "attachments"


@pytest.fixture
def world(db, settings) -> World:
    """测试县: two towns, three public primary schools (places 3, 2, 40) and one private (places 2), an open
    2027 小学一年级 round with the default tiers, two 片区 per public school."""
    from edubrain.accounts.models import Role
    from edubrain.admission.models import AdmissionRound, CatchmentArea, Quota, Stage
    from edubrain.core.enrollment.tiers import DEFAULT_POLICY_CATEGORIES, DEFAULT_TIERS

    # seven accounts: a fast hasher for them (demo accounts keep theirs; PBKDF2 still checks them)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    county = CountyFactory()
    towns = [TownFactory(parent=county, name="测试街道"), TownFactory(parent=county, name="测试镇")]
    schools = [
        SchoolFactory(name="测试实验小学", town=towns[0], latitude=36.18, longitude=118.17),
        SchoolFactory(name="测试第二小学", town=towns[0], latitude=36.19, longitude=118.18),
        SchoolFactory(name="测试镇中心小学", town=towns[1], latitude=36.05, longitude=118.30),
    ]
    private = SchoolFactory(name="测试育才民办小学", town=towns[0], ownership="private")
    today = timezone.localdate()
    rnd = AdmissionRound.objects.create(
        county=county,
        year=YEAR,
        stage=Stage.PRIMARY,
        name=f"{YEAR}年测试县小学一年级招生",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=20),
        birth_cutoff=CUTOFF,
        tiers=[{"code": t.code, "label": t.label} for t in DEFAULT_TIERS],
        policy_categories=list(DEFAULT_POLICY_CATEGORIES),
        status=AdmissionRound.Status.OPEN,
    )
    areas = []
    for i, school in enumerate(schools):
        for j, (name, kind) in enumerate((("幸福社区", "community"), ("东山村", "village"))):
            areas.append(
                CatchmentArea.objects.create(
                    round=rnd, town=school.town, name=f"{name}{i}{j}", kind=kind, school=school
                )
            )
    places = [3, 2, 40]
    quotas = {
        s.pk: Quota.objects.create(round=rnd, school=s, places=n, classes=1 if n < 45 else 2)
        for s, n in zip(schools, places, strict=True)
    }
    quotas[private.pk] = Quota.objects.create(round=rnd, school=private, places=2, classes=1)
    bureau = UserFactory(username="adm_bureau", role=Role.BUREAU_ADMIN, org_unit=county)
    staff = UserFactory(username="adm_staff", role=Role.BUREAU_STAFF, org_unit=county)
    leader = UserFactory(username="adm_leader", role=Role.LEADER, org_unit=county)
    heads = [
        UserFactory(username=f"adm_head{i}", role=Role.SCHOOL_ADMIN, org_unit=s.org_unit)
        for i, s in enumerate(schools)
    ]
    private_head = UserFactory(username="adm_private", role=Role.SCHOOL_ADMIN, org_unit=private.org_unit)
    return World(
        county, towns, schools, private, rnd, areas, quotas, bureau, staff, leader, heads, private_head
    )


_seq = iter(range(1000, 10**6))  # clear of the small sequence numbers tests pass to child_id()


def make_application(world: World, *, area: Any = None, status: str = "submitted", **fields: Any) -> Any:
    """An application written straight to the database (for review, placement and results tests)."""
    from edubrain.admission.models import Application

    n = next(_seq)
    area = area or world.areas[0]
    tier = fields.pop("tier", "hukou_property")
    values: dict[str, Any] = {
        "round": world.round,
        "receipt_no": fields.pop("receipt_no", f"T{YEAR % 100}P{n:07d}"),
        "phone": fields.pop("phone", f"139{n:08d}"),
        "child_name": fields.pop("child_name", f"测试儿童{n}"),
        "child_id_number": fields.pop("child_id_number", child_id(n)),
        "child_sex": "M",
        "child_birth_date": dt.date(2021, 3, 15),
        "guardian_name": "测试家长",
        "guardian_relation": "父亲",
        "guardian_id_number": adult_id(n),
        "area": area,
        "address": f"{area.name}1号",
        "hukou_in_area": tier in ("hukou_property", "hukou"),
        "property_in_area": tier in ("hukou_property", "property"),
        "residence_permit": tier == "migrant",
        "zone_school": area.school,
        "school": fields.get("choice_school") or area.school,
        "tier": tier,
        "status": status,
    }
    values.update(fields)
    return Application.objects.create(**values)
