"""学位预警 page on the hand-counted county: warnings, bad input, the scenario form and the export.

学区一: 一年级 2024 = 96 pupils, births 2018 = 50 → r1 = 1.92; births stay 50 → 96 forecast entrants a year
against 60 places (160 %: 红色). 学区二 has no births: 不可评估.
"""

from __future__ import annotations

import polars as pl
import pytest
from django.urls import reverse

from edubrain.registry.models import SchoolCapacity


def rows(response, zone, stage="primary"):
    return [r for r in response.context["data"]["rows"] if r["zone"] == zone and r["stage"] == stage]


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users.admin)
    return client


def test_forecast_and_warning_levels(admin_client, world):
    response = admin_client.get(reverse("places:forecast"), {"unit": world.county.pk})
    assert response.status_code == 200
    z1 = rows(response, f"z{world.zone_1.pk}")
    assert [r["year"] for r in z1] == list(range(2025, 2031))
    assert z1[0]["entrants"] == pytest.approx(96)
    assert z1[0]["entry_places"] == 60 and z1[0]["entry_ratio"] == pytest.approx(160)
    assert {r["warning"] for r in z1} == {"红色"}
    html = response.content.decode()
    assert "队列比率法" in html  # the method text
    assert 'data-level="红色"' in html
    assert response.context["counts"]["红色"] == 6


def test_zone_without_births_is_reported(admin_client, world):
    response = admin_client.get(reverse("places:forecast"), {"unit": world.county.pk})
    z2 = rows(response, f"z{world.zone_2.pk}")
    assert {r["warning"] for r in z2} == {"不可评估"}
    assert all(r["warning_reason"] == "缺少出生人口或入学比率，无法预测新生数" for r in z2)
    assert "学区“学区二”没有出生人口数据" in response.content.decode()


def test_zero_capacity_is_not_assessable(admin_client, world):
    SchoolCapacity.objects.filter(school=world.primary_a, grade_code="11").update(places=0)
    response = admin_client.get(reverse("places:forecast"), {"unit": world.county.pk})
    z1 = rows(response, f"z{world.zone_1.pk}")
    assert {r["warning"] for r in z1} == {"不可评估"}
    assert {r["warning_reason"] for r in z1} == {"招生计划数为0"}
    html = response.content.decode()
    assert 'data-level="不可评估"' in html and 'title="招生计划数为0"' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_scenario_adds_extra_entrants(admin_client, world, method):
    send = getattr(admin_client, method)
    response = send(reverse("places:forecast"), {"unit": world.county.pk, "extra": "10"})
    z1 = rows(response, f"z{world.zone_1.pk}")
    assert [r["entrants"] for r in z1] == pytest.approx([106] * 6)  # 96 + 10
    assert {r["scenario"] for r in z1} == {"自定义情景"}
    assert "每年每区域一年级新增迁入10人" in response.content.decode()
    # nothing is saved: the next plain request is the baseline again
    again = admin_client.get(reverse("places:forecast"), {"unit": world.county.pk})
    assert rows(again, f"z{world.zone_1.pk}")[0]["entrants"] == pytest.approx(96)


def test_scenario_entry_rate_change(admin_client, world):
    response = admin_client.post(reverse("places:forecast"), {"unit": world.county.pk, "rate": "-50"})
    z1 = rows(response, f"z{world.zone_1.pk}")
    assert z1[0]["entrants"] == pytest.approx(48)  # 50 × 1.92 × 0.5
    assert z1[0]["entry_ratio"] == pytest.approx(80) and z1[0]["warning"] == "绿色"


def test_bad_scenario_values_are_reported_and_ignored(admin_client, world):
    response = admin_client.get(
        reverse("places:forecast"), {"unit": world.county.pk, "extra": "abc", "rate": "500"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "一年级每年新增人数“abc”不是数字" in html and "入学比率变化应在 -90 到 200 之间" in html
    assert rows(response, f"z{world.zone_1.pk}")[0]["entrants"] == pytest.approx(96)


def test_grouping_by_town(admin_client, world):
    response = admin_client.get(reverse("places:forecast"), {"unit": world.county.pk, "grouping": "town"})
    assert response.context["data"]["grouping"] == "town"
    assert rows(response, f"t{world.town_a.pk}")[0]["entrants"] == pytest.approx(96)


def test_forecast_export_reads_back(admin_client, world, read_xlsx):
    response = admin_client.get(
        reverse("places:forecast"), {"unit": world.county.pk, "extra": "10", "format": "xlsx"}
    )
    assert response.status_code == 200
    frame = read_xlsx(response.content, "学位预警")
    first = frame.filter((pl.col("区域") == "学区一") & (pl.col("学段") == "小学")).row(0, named=True)
    assert (first["年份"], first["预测新生数"], first["招生计划数"]) == (2025, 106, 60)
    assert first["新生预警"] == "红色" and first["情景"] == "自定义情景"
    assert set(frame.filter(pl.col("区域") == "学区二")["新生预警"]) == {"不可评估"}
