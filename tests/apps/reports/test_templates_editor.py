"""The report-template editor: the current text (default or the county's), saving a checked template,
refusing a bad one with the Chinese reason (nothing saved), 恢复默认, the help, and who may write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.accounts.models import User
from edubrain.core.report.template import default_text
from edubrain.reports import service
from edubrain.reports.models import ReportTemplateText

from .shell_support import demo_county

URL = "reports:template"


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def edited(kind: str = "annual") -> str:
    return default_text(kind).replace('heading = "总体情况"', 'heading = "全县总体情况"', 1)


def test_editor_shows_the_default_and_the_help(demo, client):
    page = login(client, "admin").get(reverse(URL, args=["annual"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-custom="0"' in html
    assert page.context["form"].initial["text"] == default_text("annual")
    assert "{plan}" in html and "规划名称" in html
    for key in ("overview", "targets", "trends", "breakdown", "tasks", "projects", "supervision", "risks"):
        assert f"<dt>{key}</dt>" in html
    assert 'id="template-save"' in html and 'id="template-reset"' not in html


def test_save_then_reset(demo, client):
    login(client, "staff")
    crlf = edited().replace("\n", "\r\n")
    response = client.post(reverse(URL, args=["annual"]), {"action": "save", "text": crlf})
    assert response.status_code == 302
    row = ReportTemplateText.objects.get(org_unit=demo_county(), kind="annual")
    assert row.text == edited() and row.updated_by.username == "staff"
    assert service.template_for(demo_county(), "annual").section("overview").heading == "全县总体情况"
    page = client.get(reverse(URL, args=["annual"]))
    assert 'data-custom="1"' in page.content.decode() and 'id="template-reset"' in page.content.decode()
    assert "模板已保存" in page.content.decode()
    assert page.context["form"].initial["text"] == edited()
    client.post(reverse(URL, args=["annual"]), {"action": "reset"})
    assert not ReportTemplateText.objects.filter(org_unit=demo_county(), kind="annual").exists()
    assert "已恢复默认模板" in client.get(reverse(URL, args=["annual"])).content.decode()


def test_bad_template_shows_the_reason_and_keeps_the_text(demo, client):
    login(client, "admin")
    client.post(reverse(URL, args=["vision"]), {"action": "save", "text": edited("vision")})
    bad = default_text("vision").replace('key = "decline"', 'key = "weather"')
    response = client.post(reverse(URL, args=["vision"]), {"action": "save", "text": bad})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="template-errors"' in html and "key“weather”无效" in html
    assert "weather" in response.context["form"]["text"].value()  # the user's text stays in the box
    assert ReportTemplateText.objects.get(org_unit=demo_county(), kind="vision").text == edited("vision")


def test_leader_reads_but_may_not_save(demo, client):
    login(client, "leader")
    page = client.get(reverse(URL, args=["fitness"]))
    assert page.status_code == 200 and 'id="template-save"' not in page.content.decode()
    response = client.post(reverse(URL, args=["fitness"]), {"action": "save", "text": edited("fitness")})
    assert response.status_code == 403
    assert client.post(reverse(URL, args=["fitness"]), {"action": "reset"}).status_code == 403
    assert not ReportTemplateText.objects.filter(kind="fitness").exists()


def test_unknown_kind_is_404(demo, client):
    assert login(client, "admin").get(reverse(URL, args=["annex"])).status_code == 404


@pytest.mark.parametrize("username", ["school", "reporter"])
def test_others_are_refused(demo, client, username):
    login(client, username)
    assert client.get(reverse(URL, args=["annual"])).status_code == 403
    response = client.post(reverse(URL, args=["annual"]), {"action": "save", "text": edited()})
    assert response.status_code == 403
    assert not ReportTemplateText.objects.filter(kind="annual").exists()
