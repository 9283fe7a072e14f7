"""班额 page and queries on the hand-counted county: figures, drill-down and the xlsx export."""

from __future__ import annotations

import polars as pl
import pytest
from django.urls import reverse

from edubrain.places import queries


def overview(world, unit):
    sel = queries.selection_for(world.users.admin, unit.pk)
    return queries.class_overview(world.users.admin, sel, 2024)


def test_county_counts_by_hand(world):
    data = overview(world, world.county)
    s = data["summary"]
    # 56, 40, 66, 46 — the 幼儿园 class of 60 is outside the counts
    assert s["classes"] == 4 and s["pupils"] == 208 and s["average_size"] == 52.0
    assert s["over_standard_classes"] == 3  # 56 > 45, 66 > 50, 46 > 45
    assert (s["large_classes"], s["super_large_classes"]) == (2, 1)
    assert s["large_share"] == 50.0
    assert [(r["school"], r["size"]) for r in data["oversize"]] == [
        ("甲初中", 66),
        ("甲小学", 56),
        ("乙小学", 46),
    ]
    stages = {r["stage"]: (r["classes"], r["large_classes"]) for r in data["stages"]}
    assert stages == {"primary": (3, 1), "junior": (1, 1)}
    kids = {r["name"]: (r["classes"], r["large_classes"], r["super_large_classes"]) for r in data["children"]}
    assert kids == {"班额镇甲": (3, 2, 1), "班额镇乙": (1, 0, 0)}
    assert data["schools_over"] == []
    assert [(t["year"], t["large_classes"]) for t in data["trend"]] == [(2024, 2)]


def test_town_children_are_schools_and_school_children_are_grades(world):
    kids = {r["name"]: r["large_classes"] for r in overview(world, world.town_a)["children"]}
    assert kids == {"甲小学": 1, "甲初中": 1}
    grades = overview(world, world.primary_a.org_unit)["children"]
    assert [(g["name"], g["classes"], g["large_classes"]) for g in grades] == [("一年级", 2, 1)]


@pytest.mark.parametrize(("size", "large", "super_large"), [(55, 0, 0), (56, 1, 0), (65, 1, 0), (66, 1, 1)])
def test_thresholds_from_the_shared_core(size, large, super_large):
    from edubrain.core.places import class_size_summary

    frame = pl.DataFrame({"grade_code": ["21"], "size": [size]})
    row = class_size_summary(frame, ()).to_dicts()[0]
    assert (row["large_classes"], row["super_large_classes"]) == (large, super_large)


def test_page_renders_figures_and_links(client, world):
    client.force_login(world.users.admin)
    response = client.get(reverse("places:index"), {"unit": world.county.pk, "year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="large" data-value="2"' in html
    assert 'data-figure="super_large" data-value="1"' in html
    assert 'id="class-trend-chart"' in html and "class-trend-chart-data" in html
    assert f"unit={world.town_a.pk}" in html  # drill-down to 镇甲
    assert "甲初中" in html and "超大班额" in html


def test_oversize_export_reads_back(client, world, read_xlsx):
    client.force_login(world.users.admin)
    response = client.get(reverse("places:index"), {"unit": world.county.pk, "year": 2024, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    frame = read_xlsx(response.content, "超标准班额")
    assert frame["学校"].to_list() == ["甲初中", "甲小学", "乙小学"]
    assert frame["班额"].to_list() == [66, 56, 46]
    assert frame["超标准人数"].to_list() == [16, 11, 1]
    assert frame["大班额"].to_list() == ["是", "是", "否"]
    assert frame["超大班额"].to_list() == ["是", "否", "否"]


def test_unknown_year_falls_back_to_latest(client, world):
    client.force_login(world.users.admin)
    response = client.get(reverse("places:index"), {"unit": world.county.pk, "year": 1999})
    assert response.context["year"] == 2024
