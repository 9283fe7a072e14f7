"""填报 pages: who sees what (scoping), who may do what (403 for wrong roles, 404 outside scope), and the
forms' bad input answered with the Chinese message and nothing written."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from edubrain.core.work.periods import period
from edubrain.plans.models import PlanTask, TaskUnit
from edubrain.registry.models import ResponsibleUnit
from edubrain.work import reporting
from edubrain.work.models import ProgressReport, ReportingCycle

from . import test_reporting_support as support_reporting
from .test_reporting_support import FILLED, YEAR, open_half, reporter_slot

pytestmark = pytest.mark.django_db
world = support_reporting.world


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ids(html: str, attr: str) -> set[int]:
    return {int(i) for i in re.findall(rf'{attr}="(\d+)"', html)}


def test_pages_need_a_login(world):
    cycle = open_half(world)
    for url in (reverse("work:tasks"), reverse("work:cycles"), reverse("work:cycle", args=[cycle.pk])):
        assert Client().get(url).status_code == 302


def test_the_bureau_opens_a_cycle_from_the_cycles_page(world):
    admin = client(world["admin"])
    page = admin.get(reverse("work:cycles")).content.decode()
    assert 'id="open-form"' in page
    data = {
        "plan": world["plan"].pk,
        "frequency": "quarterly",
        "year": YEAR,
        "index": 2,
        "due_on": "",
        "note": "",
    }
    response = admin.post(reverse("work:cycles"), data)
    cycle = ReportingCycle.objects.get(plan=world["plan"], name=f"{YEAR}年第2季度")
    assert response.status_code == 302 and response["Location"] == reverse("work:cycle", args=[cycle.pk])
    listing = admin.get(reverse("work:cycles")).content.decode()
    assert f'data-cycle="{cycle.pk}"' in listing


def test_bad_cycle_input_is_answered_in_chinese(world):
    admin = client(world["admin"])
    data = {"plan": world["plan"].pk, "frequency": "half", "year": YEAR, "index": 3}
    response = admin.post(reverse("work:cycles"), data)
    assert response.status_code == 400
    assert "半年填报的期次“3”无效，应为 1–2" in response.content.decode()
    response = admin.post(reverse("work:cycles"), {**data, "index": 1, "due_on": "2030-13-01"})
    assert "报送期限“2030-13-01”无效" in response.content.decode()
    assert not ReportingCycle.objects.filter(plan=world["plan"], period_start__year=YEAR).exists()


@pytest.mark.parametrize("who", ["reporter", "leader"])
def test_others_cannot_open_a_cycle(world, who):
    c = client(world[who])
    assert 'id="open-form"' not in c.get(reverse("work:cycles")).content.decode()
    data = {"plan": world["plan"].pk, "frequency": "half", "year": YEAR, "index": 1}
    assert c.post(reverse("work:cycles"), data).status_code == 403
    assert not ReportingCycle.objects.filter(plan=world["plan"], period_start__year=YEAR).exists()


def test_the_board_shows_a_reporter_only_their_slots(world):
    cycle = open_half(world)
    url = reverse("work:cycle", args=[cycle.pk])
    everything = set(ProgressReport.objects.filter(cycle=cycle).values_list("pk", flat=True))
    own = set(
        ProgressReport.objects.filter(cycle=cycle, org_unit=world["reporter"].org_unit).values_list(
            "pk", flat=True
        )
    )
    assert own and own < everything
    assert ids(client(world["admin"]).get(url).content.decode(), "data-report") == everything
    assert ids(client(world["reporter"]).get(url).content.decode(), "data-report") == own
    assert ids(client(world["leader"]).get(url).content.decode(), "data-report") == everything
    assert client(world["school"]).get(url).status_code == 200  # a school sees the cycle, no slots
    assert ids(client(world["school"]).get(url).content.decode(), "data-report") == set()


def test_board_filters_by_state_and_unit(world):
    cycle = open_half(world)
    slot = reporter_slot(world, cycle)
    reporting.save_report(slot, world["reporter"], FILLED)
    reporting.submit(slot, world["reporter"])
    admin = client(world["admin"])
    url = reverse("work:cycle", args=[cycle.pk])
    assert ids(admin.get(url + "?state=submitted").content.decode(), "data-report") == {slot.pk}
    unit = slot.org_unit_id
    in_unit = set(ProgressReport.objects.filter(cycle=cycle, org_unit_id=unit).values_list("pk", flat=True))
    assert ids(admin.get(url + f"?unit={unit}").content.decode(), "data-report") == in_unit


def test_report_page_roles(world):
    cycle = open_half(world)
    slot = reporter_slot(world, cycle)
    url = reverse("work:report", args=[slot.pk])
    assert 'id="report-form"' in client(world["reporter"]).get(url).content.decode()
    admin_page = client(world["admin"]).get(url).content.decode()
    assert 'id="report-form"' not in admin_page and 'id="review-form"' not in admin_page  # nothing to review
    assert client(world["admin"]).post(url, {"action": "save", **FILLED}).status_code == 403
    assert client(world["leader"]).post(url, {"action": "save", **FILLED}).status_code == 403
    assert client(world["reporter"]).post(url, {"action": "accept"}).status_code == 403
    assert client(world["school"]).get(url).status_code == 404
    other = ProgressReport.objects.filter(cycle=cycle).exclude(org_unit=slot.org_unit).first()
    assert client(world["reporter"]).get(reverse("work:report", args=[other.pk])).status_code == 404
    assert ProgressReport.objects.get(pk=slot.pk).status == "pending"


def test_filing_and_reviewing_through_the_report_page(world):
    slot = reporter_slot(world, open_half(world))
    url = reverse("work:report", args=[slot.pk])
    reporter, admin = client(world["reporter"]), client(world["admin"])
    response = reporter.post(url, {"action": "submit", **FILLED, "narrative": ""})
    assert response.status_code == 400 and "请填写工作进展后再报送" in response.content.decode()
    assert ProgressReport.objects.get(pk=slot.pk).status == "pending"  # the draft part rolled back too
    assert reporter.post(url, {"action": "submit", **FILLED}).status_code == 302
    page = admin.get(url).content.decode()
    assert 'id="review-form"' in page and FILLED["narrative"] in page
    response = admin.post(url, {"action": "return", "comment": ""})
    assert response.status_code == 400 and "退回报告必须填写审核意见" in response.content.decode()
    assert admin.post(url, {"action": "return", "comment": "请补充佐证"}).status_code == 302
    assert "请补充佐证" in reporter.get(url).content.decode()
    assert reporter.post(url, {"action": "submit", **FILLED}).status_code == 302
    assert admin.post(url, {"action": "accept", "comment": ""}).status_code == 302
    assert ProgressReport.objects.get(pk=slot.pk).status == "accepted"
    assert 'data-state="accepted"' in reporter.get(url).content.decode()


def test_the_task_tree_shows_a_reporter_only_their_tasks(world):
    open_half(world)
    plan = world["plan"]
    mine = set(
        TaskUnit.objects.filter(task__plan=plan, unit__org_unit=world["reporter"].org_unit).values_list(
            "task_id", flat=True
        )
    )
    every = set(PlanTask.objects.filter(plan=plan).values_list("pk", flat=True))
    assert mine and mine < every
    url = reverse("work:tasks") + f"?plan={plan.pk}"
    assert ids(client(world["reporter"]).get(url).content.decode(), "data-task-id") == mine
    admin_ids = ids(client(world["admin"]).get(url).content.decode(), "data-task-id")
    assert admin_ids == every
    unit = world["reporter"].org_unit_id
    assert ids(client(world["admin"]).get(url + f"&unit={unit}").content.decode(), "data-task-id") == mine


def test_task_colour_follows_the_latest_cycle(world):
    cycle = open_half(world)
    slot = reporter_slot(world, cycle)
    ProgressReport.objects.filter(cycle=cycle, task=slot.task).update(status="accepted")
    page = client(world["admin"]).get(reverse("work:tasks") + f"?plan={world['plan'].pk}&cycle={cycle.pk}")
    html = page.content.decode()
    block = html[html.index(f'data-task-id="{slot.task_id}"') :][:1500]
    assert "已通过" in block


def test_task_units_are_edited_by_the_bureau_only(world):
    task = (
        TaskUnit.objects.filter(task__plan=world["plan"], unit__org_unit=world["reporter"].org_unit)
        .first()
        .task
    )
    url = reverse("work:task", args=[task.pk])
    units = list(ResponsibleUnit.objects.filter(county=world["plan"].org_unit).order_by("pk")[:2])
    before = list(TaskUnit.objects.filter(task=task).values_list("name", "role"))
    assert client(world["reporter"]).post(url, {"lead": units[0].pk}).status_code == 403
    assert 'id="units-form"' not in client(world["reporter"]).get(url).content.decode()
    response = client(world["admin"]).post(url, {"lead": ""})
    assert response.status_code == 400 and "请选择牵头单位" in response.content.decode()
    assert list(TaskUnit.objects.filter(task=task).values_list("name", "role")) == before
    response = client(world["admin"]).post(url, {"lead": units[1].pk, "co": [units[0].pk]})
    assert response.status_code == 302
    linked = TaskUnit.objects.filter(task=task, unit__isnull=False).order_by("order")
    assert list(linked.values_list("unit_id", "role")) == [(units[1].pk, "lead"), (units[0].pk, "co")]


def test_a_task_outside_the_reporters_unit_is_not_found(world):
    plan = world["plan"]
    theirs = TaskUnit.objects.filter(task__plan=plan, unit__org_unit=world["reporter"].org_unit).values(
        "task_id"
    )
    other = PlanTask.objects.filter(plan=plan).exclude(pk__in=theirs).first()
    assert client(world["reporter"]).get(reverse("work:task", args=[other.pk])).status_code == 404
    assert client(world["admin"]).get(reverse("work:task", args=[other.pk])).status_code == 200


def test_the_open_form_proposes_a_half_year_not_yet_opened(world):
    html = client(world["admin"]).get(reverse("work:cycles")).content.decode()
    year = int(re.search(r'id="year" name="year"[^>]*value="(\d+)"', html).group(1))
    index = int(re.search(r'id="index" name="index"[^>]*value="(\d+)"', html).group(1))
    opened = set(ReportingCycle.objects.filter(plan=world["plan"]).values_list("period_start", flat=True))
    proposed = period("half", year, index).start
    assert proposed not in opened and proposed.year >= 2026
    reporting.open_cycle(world["plan"], world["admin"], "half", year, index)  # so it can really be opened
    again = client(world["admin"]).get(reverse("work:cycles")).content.decode()
    assert f'value="{year if index == 1 else year + 1}"' in again


def test_closing_a_cycle_from_its_board(world):
    cycle = open_half(world)
    url = reverse("work:cycle", args=[cycle.pk])
    assert 'id="close-cycle"' not in client(world["reporter"]).get(url).content.decode()
    assert client(world["reporter"]).post(url).status_code == 403
    assert client(world["leader"]).post(url).status_code == 403
    assert ReportingCycle.objects.get(pk=cycle.pk).status == "open"
    assert 'id="close-cycle"' in client(world["admin"]).get(url).content.decode()
    assert client(world["admin"]).post(url).status_code == 302
    assert ReportingCycle.objects.get(pk=cycle.pk).status == "closed"
    slot = reporter_slot(world, cycle)
    page = client(world["reporter"]).get(reverse("work:report", args=[slot.pk])).content.decode()
    assert 'id="report-form"' not in page  # a closed cycle takes no more reports
