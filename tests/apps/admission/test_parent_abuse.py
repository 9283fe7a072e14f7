"""Bad input and abuse (issue 9), each through the real views: a duplicate child, a wrong 身份证号 checksum,
a child too young (the cutoff day, the day after), an address outside the county, oversized and non-image
uploads, rapid repeated submissions from one number, another applicant's 报名号 in the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from edubrain.admission.models import AdmissionRound, Application, ApplicationDocument, CatchmentArea, Stage

from .conftest import CUTOFF, YEAR, child_id, make_application, photo, png_bytes
from .test_parent_support import OTHER_PHONE, PHONE, form, post_application, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(client):
    return sign_in(client)


def _refused(response, message):
    page = response.content.decode()
    assert response.status_code == 400, page[:500]
    assert message in page
    assert not Application.objects.filter(phone=PHONE).exists()


# --- one child, one live application ---------------------------------------------------------------


def test_duplicate_child_refused_with_masked_receipt(parent, world):
    make_application(world, child_id_number=child_id(1), receipt_no="27PAAAAAAA")
    _refused(post_application(parent, world), "该儿童已有有效申请（报名号 27P****），不能重复报名")


@pytest.mark.parametrize("status", ["more", "approved", "admitted", "not_admitted"])
def test_every_live_status_blocks(parent, world, status):
    make_application(world, child_id_number=child_id(1), status=status)
    _refused(post_application(parent, world), "该儿童已有有效申请")


@pytest.mark.parametrize("status", ["withdrawn", "rejected"])
def test_a_withdrawn_or_rejected_application_does_not_block(parent, world, status):
    make_application(world, child_id_number=child_id(1), status=status)
    assert post_application(parent, world).status_code == 302


def test_same_child_twice_from_the_same_phone(parent, world):
    assert post_application(parent, world).status_code == 302
    response = post_application(parent, world)
    assert response.status_code == 400 and "该儿童已有有效申请" in response.content.decode()
    assert Application.objects.filter(phone=PHONE).count() == 1


def test_same_child_in_another_round_is_another_application(parent, world):
    other = AdmissionRound.objects.create(
        county=world.county,
        year=YEAR + 1,
        stage=Stage.PRIMARY,
        name="下一年",
        opens_on=world.round.opens_on,
        closes_on=world.round.closes_on,
        status=AdmissionRound.Status.OPEN,
        tiers=world.round.tiers,
    )
    area = CatchmentArea.objects.create(
        round=other, town=world.towns[0], name="新区", school=world.schools[0]
    )
    make_application(world, child_id_number=child_id(1), round=other, area=area)
    assert post_application(parent, world).status_code == 302


def test_database_constraint_is_the_last_guard(parent, world, monkeypatch):
    """Two submissions racing past the check: the constraint refuses the second with the same message."""
    from edubrain.admission import apply

    make_application(world, child_id_number=child_id(1), receipt_no="27PBBBBBBB")
    calls = {"n": 0}
    real = apply._duplicate

    def blind_first(round, id_number):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(round, id_number)

    monkeypatch.setattr(apply, "_duplicate", blind_first)
    _refused(post_application(parent, world), "该儿童已有有效申请（报名号 27P****）")


# --- 身份证号 and age ----------------------------------------------------------------------------------


def test_wrong_checksum(parent, world):
    good = child_id(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    _refused(post_application(parent, world, child_id_number=bad), "校验位错误")


def test_wrong_guardian_checksum(parent, world):
    good = form(world)["guardian_id_number"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    _refused(post_application(parent, world, guardian_id_number=bad), "监护人身份证号：")


def test_id_of_wrong_length(parent, world):
    _refused(post_application(parent, world, child_id_number="3799012021"), "应为18位")


@pytest.mark.parametrize(
    ("birth", "ok"),
    [(CUTOFF - dt.timedelta(days=1), True), (CUTOFF, True), (CUTOFF + dt.timedelta(days=1), False)],
)
def test_too_young(parent, world, birth, ok):
    response = post_application(parent, world, child_id_number=child_id(5, birth))
    if ok:
        assert response.status_code == 302
        assert Application.objects.get(phone=PHONE).child_birth_date == birth
    else:
        _refused(response, "未满入学年龄")


# --- address outside the county ---------------------------------------------------------------------


def test_area_of_another_round_or_county(parent, world):
    """A tampered area id (another county's round) is refused: the area list is the only address."""
    from factories import CountyFactory, SchoolFactory, TownFactory

    county = CountyFactory(division_code="379902", name="外县")
    town = TownFactory(parent=county, name="外县镇")
    school = SchoolFactory(town=town, name="外县小学")
    outside = AdmissionRound.objects.create(
        county=county,
        year=YEAR,
        stage=Stage.PRIMARY,
        name="外县招生",
        opens_on=world.round.opens_on,
        closes_on=world.round.closes_on,
        status=AdmissionRound.Status.OPEN,
    )
    area = CatchmentArea.objects.create(round=outside, town=town, name="外县村", school=school)
    _refused(post_application(parent, world, area=str(area.pk)), "所选住址不在本县本次招生的片区内")


@pytest.mark.parametrize("value", ["999999999", "abc", "-1", "²", "0", "9" * 30])
def test_unknown_area(parent, world, value):
    _refused(post_application(parent, world, area=value), "所选住址不在本县本次招生的片区内")


# --- uploads --------------------------------------------------------------------------------------------


def _sized(size: int) -> bytes:
    data = png_bytes()
    return data + b"\x00" * (size - len(data))


@pytest.mark.parametrize(("size", "ok"), [(999, True), (1000, True), (1001, False)])
def test_photo_size_limit(parent, world, settings, size, ok):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "ADMISSION_PHOTO_MAX_BYTES": 1000}
    response = post_application(parent, world, doc_hukou=[photo("户口本.png", _sized(size))])
    if ok:
        assert response.status_code == 302
        assert ApplicationDocument.objects.get(application__phone=PHONE, kind="hukou").size == size
    else:
        _refused(response, "户口本照片“户口本.png”：文件大小")


def test_default_limit_is_five_megabytes(parent, world):
    response = post_application(parent, world, doc_hukou=[photo("大.png", _sized(5 * 1024 * 1024 + 1))])
    _refused(response, "超过上限 5.0 MB")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("户口本.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "不支持的文件类型（pdf）"),
        ("户口本.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "文件内容与扩展名 .png 不符"),
        ("户口本.jpg", b"MZ\x90\x00" + b"\x00" * 200, "可执行程序"),
        ("户口本.exe", b"MZ\x90\x00" + b"\x00" * 200, "不支持的文件类型（exe）"),
        ("户口本.png", b"", "文件是空的"),
        ("户口本", png_bytes(), "无扩展名"),
    ],
)
def test_non_images_refused(parent, world, name, data, message):
    _refused(post_application(parent, world, doc_hukou=[photo(name, data)]), message)


def test_one_bad_file_stores_nothing(parent, world, admission_files):
    files = [photo("1.png"), photo("2.png", b"MZ" + b"\x00" * 100)]
    _refused(post_application(parent, world, doc_hukou=files), "“2.png”")
    assert not ApplicationDocument.objects.filter(application__phone=PHONE).exists()


@pytest.mark.parametrize(("count", "ok"), [(6, True), (7, False)])
def test_at_most_six_photos_per_kind(parent, world, count, ok):
    files = [photo(f"{i}.png") for i in range(count)]
    response = post_application(parent, world, doc_hukou=files)
    if ok:
        assert response.status_code == 302
    else:
        _refused(response, "户口本最多上传 6 张照片（本次 7 张）")


# --- rapid repeated submissions -----------------------------------------------------------------------


@pytest.mark.parametrize(("earlier", "status"), [(2, 302), (3, 429)])
def test_submissions_per_window(parent, world, earlier, status):
    """ADMISSION_SUBMITS_PER_WINDOW = 3 in 10 minutes: the 3rd is filed, the 4th is a 429."""
    for _ in range(earlier):
        make_application(world, phone=PHONE)
    response = post_application(parent, world)
    assert response.status_code == status
    if status == 429:
        assert "提交过于频繁" in response.content.decode()
        assert Application.objects.filter(phone=PHONE).count() == earlier


def test_submissions_outside_the_window_do_not_count(parent, world):
    for _ in range(3):
        make_application(world, phone=PHONE)
    Application.objects.filter(phone=PHONE).update(
        submitted_at=timezone.now() - dt.timedelta(minutes=10, seconds=1)
    )
    assert post_application(parent, world).status_code == 302


def test_other_phones_do_not_count(parent, world):
    for _ in range(3):
        make_application(world, phone=OTHER_PHONE)
    assert post_application(parent, world).status_code == 302


# --- another applicant's 报名号 in the URL -------------------------------------------------------------


def test_another_phones_application_is_404_everywhere(parent, world):
    other = make_application(world, phone=OTHER_PHONE, status="more")
    receipt = other.receipt_no
    assert parent.get(reverse("enroll:detail", args=[receipt])).status_code == 404
    url = reverse("enroll:supplement", args=[receipt])
    assert parent.post(url, {"kind": "hukou", "files": [photo()]}).status_code == 404
    assert parent.post(reverse("enroll:withdraw", args=[receipt])).status_code == 404
    other.refresh_from_db()
    assert other.status == "more" and not other.documents.exists() and not other.events.exists()
    assert receipt not in parent.get(reverse("enroll:mine")).content.decode()


def test_state_changes_are_post_only(parent, world):
    app = make_application(world, phone=PHONE)
    assert parent.get(reverse("enroll:withdraw", args=[app.receipt_no])).status_code == 405
    assert parent.get(reverse("enroll:supplement", args=[app.receipt_no])).status_code == 405
