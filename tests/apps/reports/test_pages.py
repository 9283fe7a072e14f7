"""报告 pages by role and scope: the bureau generates (a job, then its page and downloads), a leader
only reads, school and reporter accounts get 403, and another county's bureau sees none of the demo's
jobs (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.accounts.models import User
from edubrain.reports.models import ReportJob
from factories import UserFactory

from .shell_support import demo_county, fake_builders


@pytest.fixture
def sync(settings, tmp_path):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "REPORT_DIR": tmp_path / "reports", "REPORT_JOBS_SYNC": True}
    return tmp_path / "reports"


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def done_job(demo, sync, monkeypatch):
    fake_builders(monkeypatch)
    from edubrain.reports import jobs

    job = jobs.start("annual", demo_county(), 2024, User.objects.get(username="staff"))
    job.refresh_from_db()
    assert job.status == "done"
    return job


@pytest.mark.parametrize("username", ["admin", "staff"])
def test_bureau_sees_the_form_with_last_full_year(demo, client, username):
    page = login(client, username).get(reverse("reports:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="generate-form"' in html
    assert 'name="year" value="2025"' in html  # today is 2026-11-29: the last full year
    assert reverse("reports:template", args=["annual"]) in html


def test_bureau_generates_and_is_sent_to_the_job(demo, client, sync, monkeypatch):
    fake_builders(monkeypatch)
    response = login(client, "admin").post(reverse("reports:index"), {"kind": "fitness", "year": "2024"})
    job = ReportJob.objects.visible_to(User.objects.get(username="admin")).get(kind="fitness", year=2024)
    assert response.status_code == 302 and response.url == reverse("reports:job", args=[job.pk])
    assert (job.org_unit, job.created_by.username, job.status) == (demo_county(), "admin", "done")
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page and reverse("reports:download", args=[job.pk, "pdf"]) in page


def test_bad_year_is_refused(demo, client, sync):
    response = login(client, "admin").post(reverse("reports:index"), {"kind": "annual", "year": "2031"})
    assert response.status_code == 200
    assert "年度不能晚于 2026 年" in response.content.decode()
    assert not ReportJob.objects.filter(year=2031).exists()


def test_job_list_status_json_and_downloads(demo, client, done_job):
    login(client, "leader")
    index = client.get(reverse("reports:index")).content.decode()
    assert f'data-job="{done_job.pk}"' in index and 'id="generate-form"' not in index  # leader reads only
    assert "已完成" in index and reverse("reports:download", args=[done_job.pk, "docx"]) in index
    status = client.get(reverse("reports:job-status", args=[done_job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["finished"] is True
    assert [d["fmt"] for d in status["downloads"]] == ["docx", "pdf"]
    word = client.get(reverse("reports:download", args=[done_job.pk, "docx"]))
    assert word.status_code == 200 and b"".join(word.streaming_content).startswith(b"PK")
    assert "filename*=utf-8''" in word["Content-Disposition"]
    assert "%E6%B2%82%E6%BA%90%E5%8E%BF2024" in word["Content-Disposition"]  # 沂源县2024…
    pdf = client.get(reverse("reports:download", args=[done_job.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("reports:download", args=[done_job.pk, "xlsx"])).status_code == 404


def test_leader_may_not_generate(demo, client, sync):
    response = login(client, "leader").post(reverse("reports:index"), {"kind": "annual", "year": "2024"})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("username", ["school", "reporter"])
def test_school_and_reporter_are_refused(demo, client, done_job, username):
    login(client, username)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(reverse("reports:job", args=[done_job.pk])).status_code == 403
    assert client.get(reverse("reports:download", args=[done_job.pk, "docx"])).status_code == 403
    assert client.get(reverse("reports:template", args=["annual"])).status_code == 403


def test_other_county_sees_nothing_of_the_demo(demo, client, done_job):
    client.force_login(UserFactory(role="bureau_admin"))
    index = client.get(reverse("reports:index")).content.decode()
    assert f'data-job="{done_job.pk}"' not in index
    for name, args in [
        ("reports:job", [done_job.pk]),
        ("reports:job-status", [done_job.pk]),
        ("reports:download", [done_job.pk, "docx"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_anonymous_is_sent_to_login(demo, client):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/login/" in response.url


def test_failed_job_shows_its_message(demo, client, sync, monkeypatch):
    fake_builders(monkeypatch, fail="annual")
    login(client, "admin").post(reverse("reports:index"), {"kind": "annual", "year": "2024"})
    job = ReportJob.objects.get(kind="annual", year=2024, org_unit=demo_county())
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in page and "测试：数据有误，无法生成" in page
    assert client.get(reverse("reports:download", args=[job.pk, "docx"])).status_code == 404


def test_api_lists_the_jobs_in_scope(demo, client, done_job):
    from openapi_spec_validator import validate

    body = login(client, "leader").get("/api/reports", {"kind": "annual"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["kind"]["code"], item["year"], item["status"]["label"]) == (
        done_job.pk,
        "annual",
        2024,
        "已完成",
    )
    assert item["org_unit"]["name"] == "沂源县" and item["created_by"] == "staff"
    assert item["downloads"] == {
        "docx": reverse("reports:download", args=[done_job.pk, "docx"]),
        "pdf": reverse("reports:download", args=[done_job.pk, "pdf"]),
    }
    assert client.get("/api/reports", {"kind": "fitness"}).json()["count"] == 0
    assert client.get("/api/reports", {"status": "weird"}).status_code == 422
    login(client, "school")
    assert client.get("/api/reports").json()["count"] == 0  # the county's reports are above a school
    client.force_login(UserFactory(role="bureau_admin"))
    assert client.get("/api/reports").json()["count"] == 0
    spec = client.get("/api/openapi.json").json()
    validate(spec)
    assert spec["paths"]["/api/reports"]["get"]["summary"] == "报告生成任务列表"
