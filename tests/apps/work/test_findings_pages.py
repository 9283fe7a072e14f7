"""督导 pages: rounds list and the 新建督导 form, a round with the 登记问题 form, the 整改台账 with its
filters and xlsx export, one finding with each side's form — roles (leader reads, wrong role 403) and scope
(another school's finding 404)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.work import supervision as sv
from edubrain.work.models import Escalation, Finding, FindingStatus, InspectionRound

from .conftest import png_upload

TODAY = dt.date.today()


@pytest.fixture
def world(demo):
    users = demo.users
    county, school = users["admin"].org_unit, users["school"].org_unit
    other = (
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=county.path)
        .exclude(pk=school.pk)
        .order_by("path")
        .first()
    )
    r = sv.create_round(
        county,
        users["admin"],
        kind="regular",
        name="页面测试督导",
        start_on=TODAY,
        end_on=TODAY,
        targets=[school, other],
        checklist="校舍：无裂缝",
        today=TODAY,
    )
    return {"users": users, "county": county, "school": school, "other": other, "round": r}


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def record(w, unit="school", **kw) -> Finding:
    args = {
        "org_unit": w[unit],
        "description": "消防通道堆放杂物",
        "severity": "serious",
        "found_on": TODAY,
        "responsible_person": "李主任",
        **kw,
    }
    return sv.record_finding(w["round"], w["users"]["admin"], today=TODAY, **args)


def test_rounds_list_and_who_sees_the_new_form(world):
    page = client(world["users"]["admin"]).get(reverse("work:rounds"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-round="{world["round"].pk}"' in html and "新建督导" in html
    leader = client(world["users"]["leader"]).get(reverse("work:rounds")).content.decode()
    assert f'data-round="{world["round"].pk}"' in leader and reverse("work:round-new") not in leader
    assert client(world["users"]["leader"]).get(reverse("work:round-new")).status_code == 403
    assert client(world["users"]["school"]).get(reverse("work:round-new")).status_code == 403
    school = client(world["users"]["school"]).get(reverse("work:rounds")).content.decode()
    assert f'data-round="{world["round"].pk}"' not in school  # rounds are the bureau's


def test_new_round_form_prefills_safety_and_creates(world):
    admin = client(world["users"]["admin"])
    form = admin.get(reverse("work:round-new")).content.decode()
    assert "消防安全：灭火器" in form and "防溺水教育" in form  # the default kind is 一月一排查
    assert (
        f'<optgroup label="{world["school"].parent.name}">' in form and '<optgroup label="责任单位">' in form
    )
    regular = admin.get(reverse("work:round-new") + "?kind=regular").content.decode()
    assert "消防安全：灭火器" not in regular
    data = {
        "county": world["county"].pk,
        "kind": "safety",
        "name": "4月安全排查",
        "start_on": TODAY.isoformat(),
        "end_on": TODAY.isoformat(),
        "targets": [world["school"].pk],
        "checklist": "",
    }
    response = admin.post(reverse("work:round-new"), data)
    created = InspectionRound.objects.get(name="4月安全排查")
    assert response.status_code == 302 and response["Location"] == reverse("work:round", args=[created.pk])
    assert created.checklist.count() == len(sv.SAFETY_CHECKLIST)


def test_new_round_errors_keep_the_input(world):
    bad = {
        "county": world["county"].pk,
        "kind": "special",
        "name": "专项",
        "start_on": TODAY.isoformat(),
        "end_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "targets": [world["school"].pk],
    }
    response = client(world["users"]["admin"]).post(reverse("work:round-new"), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "早于开始日期" in html and 'value="专项"' in html
    assert not InspectionRound.objects.filter(name="专项").exists()


def test_round_page_records_a_finding_with_a_photo(world):
    admin = client(world["users"]["admin"])
    url = reverse("work:round", args=[world["round"].pk])
    page = admin.get(url)
    assert page.status_code == 200 and 'id="finding-form"' in page.content.decode()
    item = world["round"].checklist.get()
    data = {
        "org_unit": world["school"].pk,
        "item": item.pk,
        "severity": "serious",
        "description": "电线老化",
        "found_on": TODAY.isoformat(),
        "responsible_person": "赵主任",
        "files": [png_upload()],
    }
    assert admin.post(url, data).status_code == 302
    f = Finding.objects.get(inspection=world["round"], description="电线老化")
    assert f.item == item and f.deadline == TODAY + dt.timedelta(days=7) and f.attachments.count() == 1
    shown = admin.get(url).content.decode()
    assert f'data-finding="{f.pk}"' in shown
    missing = admin.post(url, {**data, "files": [], "responsible_person": ""})
    assert missing.status_code == 400 and "请填写整改责任人" in missing.content.decode()
    leader = client(world["users"]["leader"])
    assert 'id="finding-form"' not in leader.get(url).content.decode()
    assert leader.post(url, data).status_code == 403
    assert client(world["users"]["school"]).get(url).status_code == 404


def test_register_scope_filters_and_export(world):
    mine, theirs = record(world), record(world, unit="other", description="围墙破损")
    school = client(world["users"]["school"]).get(reverse("work:findings")).content.decode()
    assert f'data-finding="{mine.pk}"' in school and f'data-finding="{theirs.pk}"' not in school
    admin = client(world["users"]["admin"])
    url = reverse("work:findings") + f"?round={world['round'].pk}&unit={world['other'].pk}"
    page = admin.get(url).content.decode()
    assert f'data-finding="{theirs.pk}"' in page and f'data-finding="{mine.pk}"' not in page
    export = admin.get(reverse("work:findings-export") + f"?round={world['round'].pk}")
    assert export.status_code == 200 and quote("整改台账") in export["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "督导轮次" and rows[0][-1] == "约谈通报问责"
    assert sorted(r[4] for r in rows[1:]) == sorted(["消防通道堆放杂物", "围墙破损"])
    school_export = client(world["users"]["school"]).get(reverse("work:findings-export"))
    school_rows = list(load_workbook(io.BytesIO(school_export.content)).active.iter_rows(values_only=True))
    assert "围墙破损" not in [r[4] for r in school_rows[1:]]


def test_finding_page_forms_by_role_and_scope(world):
    f = record(world)
    url = reverse("work:finding", args=[f.pk])
    school = client(world["users"]["school"]).get(url).content.decode()
    assert (
        'id="fix-form"' in school and 'id="recheck-form"' not in school and 'id="escalate-form"' not in school
    )
    admin = client(world["users"]["admin"]).get(url).content.decode()
    assert 'id="fix-form"' not in admin and 'id="recheck-form"' not in admin  # not fixed yet
    assert 'id="escalate-form"' in admin
    leader = client(world["users"]["leader"])
    html = leader.get(url).content.decode()
    assert "消防通道堆放杂物" in html and '<form method="post"' not in html.split('id="finding-state"')[1]
    assert (
        leader.post(
            url, {"action": "escalate", "kind": "talk", "on": TODAY.isoformat(), "note": "x"}
        ).status_code
        == 403
    )
    other = record(world, unit="other")
    assert client(world["users"]["school"]).get(reverse("work:finding", args=[other.pk])).status_code == 404
    assert client(world["users"]["reporter"]).get(url).status_code == 404


def test_finding_page_fix_then_recheck(world):
    f = record(world)
    url = reverse("work:finding", args=[f.pk])
    admin, school = client(world["users"]["admin"]), client(world["users"]["school"])
    early = admin.post(url, {"action": "recheck", "result": "pass"})
    assert early.status_code == 400 and "尚未报送整改情况，不能复查" in early.content.decode()
    assert school.post(url, {"action": "recheck", "result": "pass"}).status_code == 403
    assert (
        admin.post(url, {"action": "fix", "fix_report": "x", "fixed_on": TODAY.isoformat()}).status_code
        == 403
    )
    empty = school.post(url, {"action": "fix", "fix_report": "", "fixed_on": TODAY.isoformat()})
    assert empty.status_code == 400 and "请填写整改情况" in empty.content.decode()
    done = school.post(
        url,
        {
            "action": "fix",
            "fix_report": "已清理杂物",
            "fixed_on": TODAY.isoformat(),
            "files": [png_upload("整改后.png")],
        },
    )
    assert done.status_code == 302
    page = admin.get(url).content.decode()
    assert 'id="recheck-form"' in page and "整改后.png" in page
    assert admin.post(url, {"action": "recheck"}).status_code == 400  # no conclusion chosen
    assert (
        admin.post(url, {"action": "recheck", "result": "pass", "recheck_on": TODAY.isoformat()}).status_code
        == 302
    )
    f.refresh_from_db()
    assert f.status == FindingStatus.CLOSED
    assert "已销号" in school.get(url).content.decode()


def test_register_unit_statistics_and_a_general_escalation(world):
    record(world)
    record(world, unit="other", description="围墙破损", severity="minor")
    admin = client(world["users"]["admin"])
    page = admin.get(reverse("work:findings") + f"?round={world['round'].pk}").content.decode()
    assert 'id="unit-stats"' in page
    for unit in ("school", "other"):
        row = page.split(f'data-unit="{world[unit].pk}"')[1].split("</tr>")[0]
        assert '<td class="num">1</td>' in row  # one finding each, none closed
    url = reverse("work:findings")
    before = Escalation.objects.count()
    bad = admin.post(url, {"org_unit": world["other"].pk, "kind": "", "on": TODAY.isoformat(), "note": ""})
    assert bad.status_code == 400 and "请填写事由" in bad.content.decode()
    assert Escalation.objects.count() == before
    data = {"org_unit": world["other"].pk, "kind": "notice", "on": TODAY.isoformat(), "note": "排查整改不力"}
    assert client(world["users"]["leader"]).post(url, data).status_code == 403
    assert client(world["users"]["school"]).post(url, data).status_code == 403
    assert admin.post(url, data).status_code == 302
    e = Escalation.objects.get(org_unit=world["other"], note="排查整改不力")
    assert e.finding is None and e.kind == "notice"
    assert f'data-escalation="{e.pk}"' in admin.get(url).content.decode()
