"""Every 工作推进 page renders on the demo county's own rows — reports in each state (some reviewed
through events without an account behind them), findings in each state, the projects — for the roles
that open them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.work.models import Finding, FindingStatus, ProgressReport, ReportEvent, ReportStatus


@pytest.mark.parametrize("status", [s.value for s in ReportStatus])
def test_a_report_in_each_state_renders_for_the_bureau(demo, client, status):
    report = ProgressReport.objects.filter(status=status).order_by("id").first()
    assert report is not None, f"演示数据缺少状态为 {status} 的报告"
    client.force_login(demo.users["admin"])
    html = client.get(reverse("work:report", args=[report.pk])).content.decode()
    assert report.task.title in html and report.org_unit.name in html


def test_a_report_reviewed_by_nobody_on_record_renders(demo, client):
    event = ReportEvent.objects.filter(by__isnull=True).select_related("report").first()
    assert event is not None
    client.force_login(demo.users["admin"])
    response = client.get(reverse("work:report", args=[event.report_id]))
    assert response.status_code == 200
    assert event.get_action_display() in response.content.decode()


@pytest.mark.parametrize("status", [s.value for s in FindingStatus])
def test_a_finding_in_each_state_renders(demo, client, status):
    finding = Finding.objects.filter(status=status).order_by("id").first()
    assert finding is not None, f"演示数据缺少状态为 {status} 的问题"
    client.force_login(demo.users["admin"])
    response = client.get(reverse("work:finding", args=[finding.pk]))
    assert response.status_code == 200 and finding.org_unit.name in response.content.decode()


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("admin", ["index", "tasks", "cycles", "projects", "rounds", "findings", "notifications"]),
        ("leader", ["index", "tasks", "cycles", "projects", "rounds", "findings", "notifications"]),
        ("reporter", ["index", "tasks", "cycles", "projects", "notifications"]),
        ("school", ["index", "projects", "findings", "notifications"]),
    ],
)
def test_section_tabs_match_what_each_role_may_open(demo, client, user, names):
    client.force_login(demo.users[user])
    if user == "admin":
        assert client.get(reverse("work:round-new")).status_code == 200
    for name in names:
        response = client.get(reverse(f"work:{name}"))
        assert response.status_code == 200, name
    html = client.get(reverse("work:index")).content.decode()
    tabs = html.split('id="work-tabs"', 1)[1].split("</nav>", 1)[0]
    for name in ("index", "tasks", "cycles", "projects", "rounds", "findings", "notifications"):
        assert (f'href="{reverse(f"work:{name}")}"' in tabs) == (name in names), name
