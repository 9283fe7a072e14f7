"""招生批次: create_round defaults (copy of last year's areas and quotas, quotas from registry classes),
status transitions and refusals, open_rounds, and the bureau's edits of quotas and tiers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.admission import rounds
from edubrain.admission.models import AdmissionRound, CatchmentArea, Quota
from edubrain.core.enrollment.tiers import DEFAULT_POLICY_CATEGORIES, DEFAULT_TIERS
from factories import SchoolClassFactory, SchoolFactory, SchoolYearFactory

pytestmark = pytest.mark.django_db

OPENS, CLOSES = dt.date(2028, 5, 1), dt.date(2028, 5, 20)


def _create(world, user=None, **kw):
    values = {
        "year": 2028,
        "stage": "primary",
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "user": user or world.bureau,
    }
    values.update(kw)
    return rounds.create_round(world.county, **values)


def test_create_round_defaults(world):
    r = _create(world)
    assert r.name == "2028年测试县小学一年级招生"
    assert r.status == AdmissionRound.Status.DRAFT
    assert r.birth_cutoff == dt.date(2022, 8, 31)
    assert r.tiers == [{"code": t.code, "label": t.label} for t in DEFAULT_TIERS]
    assert r.policy_categories == list(DEFAULT_POLICY_CATEGORIES)
    assert r.created_by == world.bureau


def test_create_round_copies_last_years_areas_and_quotas(world):
    r = _create(world, name="  二〇二八年招生  ")
    assert r.name == "二〇二八年招生"
    copied = sorted((a.town_id, a.name, a.kind, a.school_id) for a in r.areas.all())
    original = sorted((a.town_id, a.name, a.kind, a.school_id) for a in world.round.areas.all())
    assert copied == original and len(copied) == 6
    quotas = {q.school_id: (q.places, q.classes) for q in r.quotas.all()}
    assert quotas == {q.school_id: (q.places, q.classes) for q in world.quotas.values()}


def test_copy_leaves_out_a_school_closed_by_then(world):
    closed = world.schools[2]
    closed.closed_year = 2028
    closed.save()
    r = _create(world)
    assert closed.pk not in set(r.quotas.values_list("school_id", flat=True))
    assert not r.areas.filter(school=closed).exists()
    assert r.areas.count() == 4


def test_copy_from_must_be_same_county_and_stage(world):
    junior = _create(world, stage="junior", copy_from=None)
    with pytest.raises(ValidationError) as exc:
        _create(world, year=2029, copy_from=junior)
    assert "同一学段" in str(exc.value)


def test_primary_quotas_default_from_last_years_classes(world):
    """No earlier primary round (2026 < 2027): every open primary school, classes of 一年级 in the latest
    school year × 45 (at least one class)."""
    y_old, y_new = SchoolYearFactory(start_year=2024), SchoolYearFactory(start_year=2025)
    for n in range(1, 3):
        SchoolClassFactory(school=world.schools[0], school_year=y_old, grade_code="11", number=n)
    for n in range(1, 4):
        SchoolClassFactory(school=world.schools[0], school_year=y_new, grade_code="11", number=n)
    SchoolClassFactory(school=world.schools[1], school_year=y_new, grade_code="12", number=1)
    junior = SchoolFactory(name="测试初级中学", town=world.towns[0], school_type="junior")
    r = _create(world, year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 2))
    quotas = {q.school_id: (q.places, q.classes) for q in r.quotas.all()}
    assert quotas[world.schools[0].pk] == (3 * 45, 3)
    assert quotas[world.schools[1].pk] == (45, 1)  # only a 二年级 class: at least one
    assert quotas[world.private.pk] == (45, 1)  # private schools too (公民同招)
    assert junior.pk not in quotas
    assert r.areas.count() == 0


def test_junior_quotas_take_junior_and_nine_year_schools(world):
    year = SchoolYearFactory(start_year=2026)
    junior = SchoolFactory(name="测试第一中学", town=world.towns[0], school_type="junior")
    nine = SchoolFactory(name="测试九年一贯制学校", town=world.towns[1], school_type="nine_year")
    closed = SchoolFactory(name="测试撤并中学", town=world.towns[1], school_type="junior", closed_year=2027)
    for n in range(1, 5):
        SchoolClassFactory(school=junior, school_year=year, grade_code="21", number=n)
    r = _create(world, year=2028, stage="junior")
    assert r.birth_cutoff is None
    assert r.name == "2028年测试县初中一年级招生"
    quotas = {q.school_id: (q.places, q.classes) for q in r.quotas.all()}
    assert quotas[junior.pk] == (200, 4)
    assert quotas[nine.pk] == (50, 1)
    assert closed.pk not in quotas
    assert world.schools[0].pk not in quotas


@pytest.mark.parametrize("who", ["leader", "head", "private_head"])
def test_only_the_bureau_creates_rounds(world, who):
    user = {"leader": world.leader, "head": world.heads[0], "private_head": world.private_head}[who]
    with pytest.raises(PermissionDenied):
        _create(world, user=user)


def test_staff_of_the_bureau_may_create(world):
    assert _create(world, user=world.staff).pk


def test_duplicate_round_refused(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, year=2027)
    assert "已经存在" in exc.value.message_dict["year"][0]


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_year_bounds(world, year, ok):
    if ok:
        assert _create(world, year=year).year == year
    else:
        with pytest.raises(ValidationError) as exc:
            _create(world, year=year)
        assert "入学年份" in exc.value.message_dict["year"][0]


@pytest.mark.parametrize(("days", "ok"), [(-1, False), (0, True), (1, True)])
def test_closing_date_not_before_opening(world, days, ok):
    closes = OPENS + dt.timedelta(days=days)
    if ok:
        assert _create(world, closes_on=closes).closes_on == closes
    else:
        with pytest.raises(ValidationError) as exc:
            _create(world, closes_on=closes)
        assert "不能早于" in exc.value.message_dict["closes_on"][0]


def test_missing_dates_and_bad_stage(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, stage="senior", opens_on=None, closes_on=None)
    errors = exc.value.message_dict
    assert set(errors) == {"stage", "opens_on", "closes_on"}
    assert "学段" in errors["stage"][0]


# ---------------------------------------------------------------- status


def test_transitions(world):
    r = _create(world)
    rounds.set_status(r, "open", world.bureau)
    assert AdmissionRound.objects.get(pk=r.pk).status == "open"
    rounds.set_status(r, "closed", world.staff)
    assert AdmissionRound.objects.get(pk=r.pk).status == "closed"
    rounds.set_status(r, "open", world.bureau)
    assert AdmissionRound.objects.get(pk=r.pk).status == "open"


@pytest.mark.parametrize(
    ("start", "target", "words"),
    [
        ("draft", "closed", "当前为“未开始”"),
        ("open", "open", "当前为“报名中”"),
        ("closed", "draft", "当前为“报名结束”"),
        ("placed", "open", "已派位"),
        ("published", "closed", "已公布"),
        ("open", "nonsense", "未知的状态"),
    ],
)
def test_refused_transitions(world, start, target, words):
    r = world.round
    r.status = start
    r.save()
    with pytest.raises(ValidationError) as exc:
        rounds.set_status(r, target, world.bureau)
    assert words in exc.value.message_dict["status"][0]
    assert AdmissionRound.objects.get(pk=r.pk).status == start


def test_opening_needs_areas_and_places(world):
    r = _create(world)
    r.areas.all().delete()
    with pytest.raises(ValidationError) as exc:
        rounds.set_status(r, "open", world.bureau)
    assert "招生片区" in exc.value.message_dict["status"][0]
    CatchmentArea.objects.create(round=r, town=world.towns[0], name="新区", school=world.schools[0])
    r.quotas.update(places=0)
    with pytest.raises(ValidationError) as exc:
        rounds.set_status(r, "open", world.bureau)
    assert "计划招生数" in exc.value.message_dict["status"][0]
    r.quotas.filter(school=world.schools[0]).update(places=1)
    assert rounds.set_status(r, "open", world.bureau).status == "open"


@pytest.mark.parametrize("who", ["leader", "head"])
def test_status_changes_refused_to_others(world, who):
    user = world.leader if who == "leader" else world.heads[0]
    with pytest.raises(PermissionDenied):
        rounds.set_status(world.round, "closed", user)


def test_open_rounds_by_dates(world):
    r = world.round
    today = r.opens_on
    assert r in rounds.open_rounds(today)
    assert r in rounds.open_rounds(r.closes_on)
    assert r not in rounds.open_rounds(today - dt.timedelta(days=1))
    assert r not in rounds.open_rounds(r.closes_on + dt.timedelta(days=1))
    r.status = "closed"
    r.save()
    assert r not in rounds.open_rounds(today)


# ---------------------------------------------------------------- quotas and tiers


def test_update_quotas(world):
    s0, s1 = world.schools[0], world.schools[1]
    assert rounds.update_quotas(world.round, world.bureau, {s0.pk: "9999", s1.pk: " 2 "}) == 1
    assert Quota.objects.get(round=world.round, school=s0).places == 9999
    assert rounds.update_quotas(world.round, world.bureau, {s0.pk: "0"}) == 1
    assert Quota.objects.get(round=world.round, school=s0).places == 0


@pytest.mark.parametrize("bad", ["10000", "-1", "abc", "", "1.5"])
def test_bad_places_refused_all_or_nothing(world, bad):
    s0, s1 = world.schools[0], world.schools[1]
    with pytest.raises(ValidationError) as exc:
        rounds.update_quotas(world.round, world.bureau, {s0.pk: "7", s1.pk: bad})
    message = exc.value.message_dict[f"places-{s1.pk}"][0]
    assert "测试第二小学" in message and "0 到 9999" in message
    assert Quota.objects.get(round=world.round, school=s0).places == 3


def test_quota_of_another_school_refused(world):
    other = SchoolFactory(name="别处小学")
    with pytest.raises(ValidationError) as exc:
        rounds.update_quotas(world.round, world.bureau, {other.pk: "5"})
    assert "不在本批次" in exc.value.message_dict[f"places-{other.pk}"][0]


def test_quotas_locked_after_placement_and_to_schools(world):
    with pytest.raises(PermissionDenied):
        rounds.update_quotas(world.round, world.heads[0], {world.schools[0].pk: "5"})
    world.round.status = "placed"
    world.round.save()
    with pytest.raises(ValidationError) as exc:
        rounds.update_quotas(world.round, world.bureau, {world.schools[0].pk: "5"})
    assert "已派位" in exc.value.message_dict["places"][0]


def test_update_tiers_and_categories(world):
    rounds.update_tiers(
        world.round,
        world.bureau,
        tiers_text="hukou 户籍\n\n hukou_property 户籍与房产一致 \nother 其他",
        categories_text="现役军人子女\n烈士子女\n",
    )
    r = AdmissionRound.objects.get(pk=world.round.pk)
    assert r.tiers == [
        {"code": "hukou", "label": "户籍"},
        {"code": "hukou_property", "label": "户籍与房产一致"},
        {"code": "other", "label": "其他"},
    ]
    assert r.policy_categories == ["现役军人子女", "烈士子女"]


@pytest.mark.parametrize(
    ("tiers", "categories", "field", "words"),
    [
        ("hukou", "", "tiers", "应为“代码 名称”"),
        ("", "", "tiers", "至少填写一个"),
        ("hukou 户籍\nhukou 户籍二", "", "tiers", "重复"),
        ("a" * 21 + " 太长", "", "tiers", "过长"),
        ("hukou 户籍", "烈士子女\n烈士子女", "policy_categories", "重复"),
        ("hukou 户籍", "类" * 41, "policy_categories", "超过 40 个字"),
    ],
)
def test_bad_tiers_refused(world, tiers, categories, field, words):
    before = list(world.round.tiers)
    with pytest.raises(ValidationError) as exc:
        rounds.update_tiers(world.round, world.bureau, tiers_text=tiers, categories_text=categories)
    assert words in exc.value.message_dict[field][0]
    assert AdmissionRound.objects.get(pk=world.round.pk).tiers == before


def test_category_at_40_characters_accepted(world):
    rounds.update_tiers(world.round, world.bureau, tiers_text="hukou 户籍", categories_text="类" * 40)
    assert AdmissionRound.objects.get(pk=world.round.pk).policy_categories == ["类" * 40]


def test_tiers_locked_once_closed(world):
    world.round.status = "closed"
    world.round.save()
    with pytest.raises(ValidationError) as exc:
        rounds.update_tiers(world.round, world.bureau, tiers_text="hukou 户籍", categories_text="")
    assert "报名结束" in exc.value.message_dict["tiers"][0]
