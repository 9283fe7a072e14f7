"""工作推进 API (/api/work/…): read-only, scoped, paginated; the summary equals the overview's numbers."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from edubrain.accounts.models import ApiToken
from edubrain.work import overview
from edubrain.work.models import Finding, ProgressReport, ProjectTrack, ReportingCycle


def token_client(user) -> Client:
    _, key = ApiToken.issue(user, name="工作推进测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def get(client: Client, url: str, expect: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.content.decode()
    return response.json()


def test_unauthenticated_is_refused(demo):
    assert Client().get("/api/work/summary").status_code == 401
    assert Client().get("/api/work/reports").status_code == 401


def test_summary_equals_the_overview(demo):
    for name in ("admin", "reporter", "school"):
        user = demo.users[name]
        data = get(token_client(user), "/api/work/summary")
        want = overview.summary(user)
        assert data["date"] == want["date"].isoformat()
        assert {k: data[k] for k in ("reports", "findings", "projects")} == {
            k: want[k] for k in ("reports", "findings", "projects")
        }, name


def test_reporter_sees_only_their_units_reports(demo):
    reporter = demo.users["reporter"]
    data = get(token_client(reporter), "/api/work/reports", page_size=500)
    mine = ProgressReport.objects.filter(org_unit=reporter.org_unit)
    assert data["count"] == mine.count() > 0
    assert {item["org_unit"]["id"] for item in data["items"]} == {reporter.org_unit_id}
    other = ProgressReport.objects.exclude(org_unit=reporter.org_unit).first()
    data = get(token_client(reporter), "/api/work/reports", unit=other.org_unit_id)
    assert data["count"] == 0


def test_report_filters_and_pagination(demo):
    client = token_client(demo.users["admin"])
    cycle = ReportingCycle.objects.get(name="2026年上半年")
    data = get(client, "/api/work/reports", cycle=cycle.pk, status="returned")
    want = ProgressReport.objects.filter(cycle=cycle, status="returned")
    assert data["count"] == want.count() > 0
    assert all(i["status"] == {"code": "returned", "label": "已退回"} for i in data["items"])
    page = get(client, "/api/work/reports", cycle=cycle.pk, page=2, page_size=7)
    assert page["count"] == cycle.reports.count() and len(page["items"]) == 7 and page["page"] == 2
    first = get(client, "/api/work/reports", cycle=cycle.pk, page=1, page_size=7)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in page["items"]}
    late = get(client, "/api/work/reports", cycle=cycle.pk, status="pending", page_size=500)["items"]
    assert all(i["overdue"] is (cycle.due_on < timezone.localdate()) for i in late)


def test_unknown_status_is_a_clear_error(demo):
    client = token_client(demo.users["admin"])
    data = get(client, "/api/work/reports", expect=422, status="late")
    assert "状态“late”无效" in data["detail"] and "accepted 已通过" in data["detail"]
    data = get(client, "/api/work/findings", expect=422, status="done")
    assert "整改状态“done”无效" in data["detail"]


def test_school_sees_only_its_findings(demo):
    school = demo.users["school"]
    data = get(token_client(school), "/api/work/findings", page_size=500)
    mine = Finding.objects.filter(org_unit=school.org_unit)
    assert data["count"] == mine.count() >= 2
    assert {i["org_unit"]["id"] for i in data["items"]} == {school.org_unit_id}
    assert get(token_client(school), "/api/work/reports")["count"] == 0
    assert get(token_client(school), "/api/work/projects") == []


def test_findings_filters(demo):
    client = token_client(demo.users["admin"])
    today = timezone.localdate()
    overdue = Finding.objects.filter(status__in=("open", "reopened"), deadline__lt=today)
    data = get(client, "/api/work/findings", overdue="true", page_size=500)
    assert {i["id"] for i in data["items"]} == set(overdue.values_list("id", flat=True))
    assert all(i["days_overdue"] > 0 for i in data["items"])
    rest = get(client, "/api/work/findings", overdue="false", page_size=1)["count"]
    assert rest + data["count"] == Finding.objects.count()
    fixed = get(client, "/api/work/findings", status="fixed", page_size=500)
    assert fixed["count"] == Finding.objects.filter(status="fixed").count() > 0
    one = Finding.objects.order_by("id").first()
    by_round = get(client, "/api/work/findings", round=one.inspection_id, page_size=500)
    assert by_round["count"] == Finding.objects.filter(inspection_id=one.inspection_id).count()


def test_projects(demo):
    data = get(token_client(demo.users["leader"]), "/api/work/projects")
    assert len(data) == ProjectTrack.objects.count() == 18
    assert [p["number"] for p in data] == sorted(p["number"] for p in data)
    delayed = set(
        overview.delayed_projects(demo.users["leader"], timezone.localdate()).values_list("id", flat=True)
    )
    assert {p["id"] for p in data if p["delayed"]} == delayed
    assert all(4 <= len(p["milestones"]) <= 6 for p in data)
    assert get(token_client(demo.users["reporter"]), "/api/work/projects") == []


def test_read_only(demo):
    client = token_client(demo.users["admin"])
    assert client.post("/api/work/reports").status_code == 405


def test_openapi_documents_the_work_routes(db):
    spec = Client().get("/api/openapi.json").json()
    paths = {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/work/")}
    assert set(paths) == {
        "/api/work/summary",
        "/api/work/reports",
        "/api/work/findings",
        "/api/work/projects",
    }
    for ops in paths.values():
        assert set(ops) == {"get"} and ops["get"]["tags"] == ["工作推进"]
    reports = {p["name"] for p in paths["/api/work/reports"]["get"]["parameters"]}
    assert {"cycle", "status", "unit", "page", "page_size"} <= reports
    findings = {p["name"] for p in paths["/api/work/findings"]["get"]["parameters"]}
    assert {"status", "overdue", "round", "page", "page_size"} <= findings
