"""The review page: what was found and what was not, corrections saved into the draft, adoption; the JSON
download; who may do what."""

from __future__ import annotations

import json

from django.urls import reverse

from edubrain.plans.adopt import adopt, create_draft
from edubrain.plans.models import Plan, PlanTarget, TaskUnit

from . import support_import as support
from .support_import import client_for, review_post, small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures


def draft(area):
    return create_draft(small_plan(), county=area.county, user=area.users.admin, source_name="测试规划.txt")


def url(plan, name="review"):
    return reverse(f"plan_import:{name}", args=[plan.pk])


def test_review_shows_counts_and_what_could_not_be_parsed(area):
    plan = draft(area)
    page = client_for(area.users.staff).get(url(plan))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-count="tasks" data-value="3"' in html
    assert 'data-count="targets" data-value="5"' in html
    assert 'data-count="unparsed" data-value="1"' in html
    assert "（此件公开发布）" in html and "不是规划内容" in html
    assert "县不存在局" in html  # listed among the units the registry does not know
    assert "4 个已对应指标" in html
    assert 'value="adopt"' in html and 'value="save"' in html


def test_saving_a_corrected_target_keeps_the_draft(area):
    plan = draft(area)
    data = review_post(
        plan,
        area.users.staff,
        "save",
        **{
            "targets-0-target": "99.5",
            "tasks-1-units": "县测规教育局、县测规财政局",
            "header-issuer": "测试县政府",
        },
    )
    response = client_for(area.users.staff).post(url(plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.parsed["targets"][0]["target"] == 99.5
    assert plan.parsed["targets"][0]["indicator_code"] == "preschool_gross_rate"  # the page's match, kept
    assert plan.parsed["targets"][0]["source"].startswith("表1")
    assert plan.parsed["tasks"][1]["units"] == ["县测规教育局", "县测规财政局"]
    assert plan.parsed["tasks"][1]["text"].startswith("……")
    assert plan.parsed["issuer"] == "测试县政府"
    assert plan.parsed["unparsed"] == small_plan()["unparsed"]
    assert plan.parsed["sections"] == small_plan()["sections"]
    assert not PlanTarget.objects.filter(plan=plan).exists()


def test_upload_edit_adopt_journey(area):
    plan = draft(area)
    client = client_for(area.users.admin)
    changes = {
        "targets-4-indicator_code": "large_class_count",  # choose an indicator for the unmatched one
        "targets-1-DELETE": "on",  # drop a target
        "targets-5-indicator": "普惠性幼儿园覆盖率",  # add one in the blank row
        "targets-5-unit": "%",
        "targets-5-target": "90",
        "targets-5-target_year": "2025",
        "targets-5-task_code": "二.(二).1",
    }
    response = client.post(url(plan), review_post(plan, area.users.admin, "adopt", **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED and plan.adopted_at is not None
    targets = {t.indicator_name: t for t in PlanTarget.objects.filter(plan=plan).select_related("indicator")}
    assert "在校生" not in targets
    assert targets["一项目录里没有的指标"].indicator.code == "large_class_count"
    added = targets["普惠性幼儿园覆盖率"]
    assert added.indicator.code == "inclusive_kindergarten_coverage" and added.target == 90
    assert added.task.code == "二.(二).1"
    assert TaskUnit.objects.filter(task__plan=plan, unit=area.units["县委测规工委"]).exists()
    page = client.get(url(plan)).content.decode()
    assert "规划已采用" in page and 'data-status="adopted"' in page and "保存并重新采用" in page


def test_adoption_errors_are_listed_and_nothing_is_written(area):
    plan = draft(area)
    data = review_post(plan, area.users.admin, "adopt", **{"targets-1-target": "", "tasks-0-code": ""})
    response = client_for(area.users.admin).post(url(plan), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "规划未能采用，数据库未作任何改动" in html
    assert "目标第 2 条（在校生）：缺少目标值（target）" in html
    assert "缺少编号（code）" in html
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.parsed == small_plan()
    assert not PlanTarget.objects.filter(plan=plan).exists()


def test_a_value_that_is_not_a_number_is_marked(area):
    plan = draft(area)
    data = review_post(plan, area.users.admin, "save", **{"targets-0-baseline": "九十九"})
    response = client_for(area.users.admin).post(url(plan), data)
    assert response.status_code == 400
    assert "未能保存" in response.content.decode()
    plan.refresh_from_db()
    assert plan.parsed == small_plan()


def test_readopting_an_adopted_plan_from_the_page(area):
    plan = adopt(draft(area))
    data = review_post(plan, area.users.admin, "adopt", **{"projects-1-name": "特色高中建设行动（修订）"})
    assert client_for(area.users.admin).post(url(plan), data).status_code == 302
    assert plan.projects.get(number=2).name == "特色高中建设行动（修订）"
    assert plan.projects.count() == 2


def test_parent_plan_select_links_targets(area):
    city = adopt(create_draft(dict(small_plan(), title="市级测试规划"), county=area.county.parent))
    plan = draft(area)
    data = review_post(plan, area.users.admin, "adopt", **{"header-parent": str(city.pk)})
    assert client_for(area.users.admin).post(url(plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.parent == city
    target = PlanTarget.objects.get(plan=plan, indicator_name="学前三年毛入园率")
    assert target.parent_target.plan == city


def test_json_download(area):
    plan = adopt(draft(area))
    response = client_for(area.users.leader).get(url(plan, "json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["title"] == small_plan()["title"] and len(data["targets"]) == 5


def test_leader_reads_but_cannot_change_or_adopt(area):
    plan = draft(area)
    client = client_for(area.users.leader)
    page = client.get(url(plan))
    assert page.status_code == 200 and 'value="adopt"' not in page.content.decode()
    response = client.post(url(plan), review_post(plan, area.users.leader, "adopt"))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert client.post(url(plan, "discard")).status_code == 403


def test_school_admin_does_not_see_the_countys_plans(area):
    plan = draft(area)
    client = client_for(area.users.school)
    assert client.get(url(plan)).status_code == 404
    assert client.post(url(plan), review_post(plan, area.users.admin, "adopt")).status_code == 404
    assert client.get(url(plan, "json")).status_code == 404
    assert client.post(reverse("plan_import:index"), {}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_another_countys_staff_cannot_reach_the_plan(area, demo):
    plan = draft(area)
    client = client_for_demo(demo.users["staff"])
    assert client.get(url(plan)).status_code == 404
    assert client.post(url(plan), review_post(plan, area.users.admin, "adopt")).status_code == 404


def test_discarding_a_draft(area):
    plan = draft(area)
    response = client_for(area.users.staff).post(url(plan, "discard"))
    assert response.status_code == 302
    assert not Plan.objects.filter(pk=plan.pk).exists()
    adopted = adopt(draft(area))
    client_for(area.users.staff).post(url(adopted, "discard"))
    assert Plan.objects.filter(pk=adopted.pk).exists()


def client_for_demo(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
