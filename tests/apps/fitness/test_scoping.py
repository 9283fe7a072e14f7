"""A school administrator sees only their school: other units and pupils are a 404, rankings and lists hold
only their own rows (pages and API)."""

from __future__ import annotations

from django.urls import reverse

from edubrain.fitness import ranking
from factories import UserFactory

from .support import api_client, get_json


def test_school_admin_opens_on_their_school(client, fit):
    client.force_login(fit.users.primary)
    html = client.get(reverse("fitness:overview"), {"year": 2025}).content.decode()
    assert "体质健康 · 体测小学" in html
    assert 'data-figure="tested" data-value="4"' in html
    assert "体测初中" not in html and "体测镇乙" not in html


def test_units_outside_the_scope_are_404(client, fit):
    client.force_login(fit.users.primary)
    url = reverse("fitness:overview")
    for unit in (fit.junior.org_unit_id, fit.county.pk, fit.town_a.pk):
        assert client.get(url, {"unit": unit}).status_code == 404
    assert client.get(url, {"unit": fit.primary.org_unit_id, "class": 999_999}).status_code == 404
    other_grade = {"unit": fit.junior.org_unit_id, "grade": "21"}
    assert client.get(reverse("fitness:students"), other_grade).status_code == 404


def test_a_class_of_another_school_is_404(client, fit):
    client.force_login(fit.users.admin)
    response = client.get(reverse("fitness:overview"), {"unit": fit.junior.org_unit_id,
                                                        "class": fit.classes.p4_1.pk})
    assert response.status_code == 404


def test_another_schools_pupil_is_404(client, fit):
    client.force_login(fit.users.primary)
    assert client.get(reverse("fitness:student", args=[fit.j1.pk])).status_code == 404
    assert client.get(reverse("fitness:student", args=[fit.s1.pk])).status_code == 200
    client.force_login(fit.users.junior)
    assert client.get(reverse("fitness:student", args=[fit.s1.pk])).status_code == 404


def test_a_pupil_page_shows_only_visible_years(client, fit):
    """j1's 2024 row lies in 体测小学: 体测初中's administrator sees j1 but not that year."""
    client.force_login(fit.users.junior)
    html = client.get(reverse("fitness:student", args=[fit.j1.pk])).content.decode()
    assert "2025—2026学年" in html and "2024—2025学年" not in html


def test_ranking_holds_only_the_scope(client, fit):
    assert set(ranking.ranking(fit.users.primary, 2025)["school_name"]) == {"体测小学"}
    client.force_login(fit.users.primary)
    html = client.get(reverse("fitness:ranking"), {"year": 2025}).content.decode()
    assert "体测小学" in html and "体测初中" not in html and "体测九年一贯制学校" not in html


def test_a_user_without_scope_sees_nothing(client, fit):
    stranger = UserFactory(username="fit_nobody", role="school_admin", org_unit=fit.county)  # role ≠ unit
    client.force_login(stranger)
    html = client.get(reverse("fitness:overview")).content.decode()
    assert "没有可查看的体质测试数据" in html
    assert ranking.ranking(stranger, 2025).height == 0


def test_api_is_scoped(fit):
    primary = api_client(fit.users.primary)
    summary = get_json(primary, "/api/fitness/summary", year=2025)
    assert summary["unit"]["name"] == "体测小学" and summary["figures"]["tested"] == 4
    get_json(primary, "/api/fitness/summary", expect=404, unit=fit.junior.org_unit_id)
    get_json(primary, f"/api/fitness/students/{fit.j1.pk}", expect=404)
    assert {r["school_name"] for r in get_json(primary, "/api/fitness/ranking", year=2025)} == {"体测小学"}
    values = get_json(primary, "/api/fitness/indicators", year=2025)["values"]
    assert {v["org_unit_id"] for v in values} == {fit.primary.org_unit_id}
