"""Journey: online enrollment (义务教育入学网上办) end to end, the parent on a phone-sized screen.

The bureau's 2031 小学一年级 round (set up here) gives 人民路小学 (the demo ``school`` account's school)
two places, and three children of the top tier are already approved there. A parent signs in with a
one-time code, applies with photos of the 户口本 and 房产证 and sees the zone school before submitting; the
school asks for another document, the parent adds it, the school approves; the bureau closes the round,
runs placement — four applicants of one tier for two places: a lottery — and publishes. The parent sees
the result and the 录取通知书; the published draw, downloaded from the public results, is re-run by
``edubrain enrollment lottery`` with the identical admitted list. Screenshots: /tmp/admission_*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from .journey import ensure_demo, logged_in

pytestmark = pytest.mark.e2e
YEAR = 2031  # a round the demo never opens
PHONE = "13912340000"
PHONE_VIEWPORT = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}


def png(path, shade: int = 128):
    from factories import png_bytes

    path.write_bytes(png_bytes(16, 16, shade))
    return str(path)


def make_id(seq: int, birth: dt.date, region: str = "370323") -> str:
    from edubrain.core.ids import id_check_digit

    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def setup_round():
    """The 2031 round: one 片区 → 人民路小学 (2 places), another school with places for the reassigned."""
    from edubrain.accounts.models import User
    from edubrain.admission.models import AdmissionRound, Application, CatchmentArea, Quota
    from edubrain.core.enrollment.tiers import DEFAULT_POLICY_CATEGORIES, DEFAULT_TIERS
    from edubrain.registry.models import School

    school_user = User.objects.get(username="school")
    home = School.objects.get(org_unit=school_user.org_unit)
    other = (
        School.objects.filter(school_type=home.school_type, ownership="public", town=home.town)
        .exclude(pk=home.pk)
        .order_by("code")
        .first()
    ) or School.objects.filter(school_type=home.school_type).exclude(pk=home.pk).order_by("code").first()
    county = home.org_unit.parent.parent if home.org_unit.parent.kind == "town" else home.org_unit.parent
    today = dt.date.today()
    rnd = AdmissionRound.objects.create(
        county=county,
        year=YEAR,
        stage="primary",
        name=f"{YEAR}年沂源县小学一年级招生（测试）",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
        birth_cutoff=dt.date(YEAR - 6, 8, 31),
        tiers=[{"code": t.code, "label": t.label} for t in DEFAULT_TIERS],
        policy_categories=list(DEFAULT_POLICY_CATEGORIES),
        status="open",
    )
    area = CatchmentArea.objects.create(
        round=rnd, town=home.town, name="测试花园小区", kind="estate", school=home
    )
    far = CatchmentArea.objects.create(
        round=rnd, town=other.town, name="测试东村", kind="village", school=other
    )
    Quota.objects.create(round=rnd, school=home, places=2, classes=1)
    Quota.objects.create(round=rnd, school=other, places=30, classes=1)
    born = dt.date(YEAR - 7, 3, 1)
    for i in range(3):
        Application.objects.create(
            round=rnd,
            receipt_no=f"31PTEST{i:03d}",
            phone=f"1370000000{i}",
            child_name=f"预置儿童{i}",
            child_id_number=make_id(700 + i * 2 + 1, born),
            child_sex="M",
            child_birth_date=born,
            guardian_name="预置家长",
            guardian_relation="父亲",
            guardian_id_number=make_id(500 + i, dt.date(1990, 1, 1)),
            area=area,
            address="测试花园小区1号楼",
            hukou_in_area=True,
            property_in_area=True,
            zone_school=home,
            school=home,
            tier="hukou_property",
            status="approved",
        )
    return rnd, area, far, home, other


def test_enrollment_journey(live_server, browser, tmp_path):
    from django.urls import reverse

    from edubrain.admission import sms
    from edubrain.admission.models import Application, Draw

    ensure_demo()
    url = live_server.url
    rnd, area, _far, home, _other = setup_round()
    hukou = png(tmp_path / "户口本.png", 90)
    deed = png(tmp_path / "房产证.png", 150)
    birth = png(tmp_path / "出生医学证明.png", 200)
    child = make_id(801, dt.date(YEAR - 7, 6, 18))

    # the parent, on a phone: sign in with a one-time code
    parent = browser.new_page(**PHONE_VIEWPORT)
    parent_errors: list[str] = []
    parent.on("pageerror", lambda exc: parent_errors.append(str(exc)))
    parent.goto(url + reverse("enroll:index"))
    parent.screenshot(path="/tmp/admission_index.png", full_page=True)
    parent.goto(url + reverse("enroll:apply", args=[rnd.pk]))
    parent.wait_for_selector("#phone")
    parent.fill("#phone", PHONE)
    parent.click("#send-code")
    parent.wait_for_selector("#code")
    message = sms.last_to(PHONE)
    assert message is not None and "验证码" in message.text
    code = "".join(ch for ch in message.text.split("验证码")[1] if ch.isdigit())[:6]
    parent.fill("#code", code)
    parent.click("#verify")
    parent.wait_for_selector("#submit-application")
    assert reverse("enroll:apply", args=[rnd.pk]) in parent.url

    # the application form: the zone school is shown before submitting
    parent.fill("#child_name", "王小明")
    parent.fill("#child_id_number", child)
    parent.fill("#guardian_name", "王建国")
    parent.select_option("#guardian_relation", "父亲")
    parent.fill("#guardian_id_number", make_id(601, dt.date(1988, 2, 3)))
    parent.select_option("#area", str(area.pk))
    parent.wait_for_function(
        "name => document.querySelector('#zone-school').textContent.includes(name)", arg=home.name
    )
    parent.fill("#address", "测试花园小区3号楼2单元")
    parent.check("#hukou_in_area")
    parent.check("#property_in_area")
    parent.set_input_files("#doc_hukou", hukou)
    parent.set_input_files("#doc_property", deed)
    # the layout fits the phone: no horizontal scrolling
    assert parent.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    parent.screenshot(path="/tmp/admission_apply.png", full_page=True)
    parent.click("#submit-application")
    parent.wait_for_selector("#receipt-no")
    application = Application.objects.get(round=rnd, child_id_number=child)
    assert parent.inner_text("#receipt-no").strip() == application.receipt_no
    assert parent.get_attribute("#status", "data-status") == "submitted"
    assert application.documents.count() == 2 and application.tier == "hukou_property"
    parent.screenshot(path="/tmp/admission_submitted.png", full_page=True)

    # the school asks for one more document
    school, school_errors = logged_in(browser, url, "school")
    school.goto(url + reverse("admission:applications", args=[rnd.pk]))
    school.click(f'tr[data-receipt="{application.receipt_no}"] a')
    school.wait_for_selector("#request-form")
    school.fill("#request-reason", "请补充出生医学证明照片")
    school.click("#request-submit")
    school.wait_for_selector('#app-status[data-status="more"]')

    # the parent sees the reason and adds the document
    parent.reload()
    assert parent.get_attribute("#status", "data-status") == "more"
    assert "出生医学证明" in parent.inner_text("#status-note")
    parent.select_option("#supplement-kind", "birth")
    parent.set_input_files("#supplement-files", birth)
    parent.screenshot(path="/tmp/admission_more.png", full_page=True)
    parent.click("#supplement-submit")
    parent.wait_for_selector('#status[data-status="submitted"]')
    assert application.documents.filter(supplement=True, kind="birth").count() == 1

    # the school approves
    school.reload()
    school.wait_for_selector("#approve-form")
    school.click("#approve-submit")
    school.wait_for_selector('#app-status[data-status="approved"]')
    school.screenshot(path="/tmp/admission_review.png", full_page=True)

    # the bureau closes the round, runs placement with a public seed, publishes
    admin, admin_errors = logged_in(browser, url, "admin")
    admin.goto(url + reverse("admission:round", args=[rnd.pk]))
    admin.click("#close-round")
    admin.wait_for_selector("#place-form")
    admin.fill("#seed", "20310720-公证处-384756")
    admin.click("#place-submit")
    admin.wait_for_selector("#publish-submit")
    admin.click("#publish-submit")
    admin.wait_for_load_state("networkidle")
    rnd.refresh_from_db()
    assert rnd.status == "published"
    draw = Draw.objects.get(round=rnd, school=home)
    assert draw.places == 2 and draw.candidates == 4
    admin.goto(url + reverse("admission:draws", args=[rnd.pk]))
    admin.wait_for_selector(f'tr[data-draw="{draw.pk}"]')
    admin.screenshot(path="/tmp/admission_draws.png", full_page=True)

    # the parent sees the result
    application.refresh_from_db()
    parent.reload()
    status = parent.get_attribute("#status", "data-status")
    assert status == application.status == "admitted"
    assert parent.inner_text("#result").strip().startswith(application.admitted_school.name)
    admitted_here = application.admitted_school_id == home.pk
    assert application.admitted_via == ("lottery" if admitted_here else "reassigned")
    parent.screenshot(path="/tmp/admission_result.png", full_page=True)
    parent.click("#notice-link")
    parent.wait_for_load_state()
    assert application.child_name in parent.content()
    parent.screenshot(path="/tmp/admission_notice.png", full_page=True)

    # anyone re-runs the published draw: the same admitted list
    public = browser.new_page(**PHONE_VIEWPORT)
    public.goto(url + reverse("enroll:results", args=[rnd.pk]))
    public.select_option("#school-pick", home.code)
    public.wait_for_selector(f'section[data-school="{home.code}"] .admitted-list')
    public.screenshot(path="/tmp/admission_public_results.png", full_page=True)
    assert application.child_name not in public.content()  # names are masked in public
    response = public.request.get(url + reverse("enroll:draw", args=[draw.pk]))
    assert response.ok
    published = tmp_path / "派位.json"
    published.write_bytes(response.body())
    document = json.loads(published.read_text(encoding="utf-8"))
    assert document["seed"] == draw.seed and len(document["candidates"]) == 4
    run = subprocess.run(
        [sys.executable, "-m", "edubrain.cli", "enrollment", "lottery", str(published)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "与公布结果一致" in run.stdout
    admitted = list(
        Application.objects.filter(round=rnd, admitted_school=home, admitted_via="lottery").values_list(
            "receipt_no", flat=True
        )
    )
    assert sorted(admitted) == sorted(a["receipt"] for a in document["admitted"])
    for receipt in admitted:
        assert receipt in run.stdout
    assert (application.receipt_no in admitted) == admitted_here
    assert parent_errors == [] and school_errors == [] and admin_errors == []
