"""The 优质均衡 page: summary, charts, tables, gaps, the method's other parts, drill-down to a 镇/街道."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from factories import TownFactory


def test_county_page(client, bal):
    client.force_login(bal.users.admin)
    response = client.get(reverse("balance:index"), {"unit": bal.county.pk, "year": 2024, "ind": "L4"})
    assert response.status_code == 200
    ctx = response.context
    primary = next(s for s in ctx["stages"] if s["stage"] == "小学")
    assert (primary["schools"], primary["passing"], primary["failing"]) == (3, 2, 1)
    chart = ctx["cv_chart"]
    assert [s["markLine"]["data"][0]["yAxis"] for s in chart["series"]] == [0.5, 0.45]
    scatter = ctx["scatter_chart"]
    assert scatter["series"][0]["markLine"]["data"][0]["yAxis"] == 4.5  # 生均教学及辅助用房面积, 小学
    body = response.content.decode()
    assert 'id="cv-chart"' in body and 'id="scatter-chart"' in body
    data = re.search(r'id="cv-chart-data"[^>]*>(.*?)</script>', body, re.S)
    assert data and json.loads(data.group(1))["series"]
    assert [g["code"] for g in ctx["gaps"]][:1] == ["3910000002"]
    parts = {p["code"]: p for p in ctx["parts"]}
    assert parts["G4"]["status"] == "已计算" and parts["G4"]["passed"] is True
    assert parts["G5"]["status"] == "已计算" and "超标班额 0 个" in parts["G5"]["value"]
    assert parts["S1"]["status"] == "需人工填报"
    assert [c["name"] for c in ctx["children"]] == ["均衡镇甲", "均衡镇乙"]


def test_town_drill_down(client, bal):
    client.force_login(bal.users.admin)
    response = client.get(reverse("balance:index"), {"unit": bal.town_a.pk, "year": 2024})
    assert response.status_code == 200
    assert {r["code"] for r in response.context["schools"]} == {"3910000001"}
    assert response.context["town_note"]
    assert [c[0] for c in response.context["crumbs"]] == ["测试均衡县", "均衡镇甲"]


def test_year_without_data_lists_every_school_as_not_evaluable(client, bal):
    client.force_login(bal.users.admin)
    response = client.get(reverse("balance:index"), {"unit": bal.county.pk, "year": 2023})
    assert response.status_code == 200
    assert {r["verdict"] for r in response.context["schools"]} == {"不可评估"}
    assert len(response.context["schools"]) == 4


def test_unit_without_schools(client, bal):
    empty = TownFactory(parent=bal.county, name="均衡镇丙", division_code="370391003")
    client.force_login(bal.users.admin)
    response = client.get(reverse("balance:index"), {"unit": empty.pk, "year": 2024})
    assert response.status_code == 200
    assert 'id="balance-empty"' in response.content.decode()
