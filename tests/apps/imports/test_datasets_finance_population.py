"""教育经费 and 人口 imports: the user's county, parts ≤ total, towns by name or code, ranges and scope."""

from __future__ import annotations

import pytest

from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.registry.models import Finance, Population
from factories import CountyFactory, TownFactory

from .conftest import admin_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

FIN = [
    "年份",
    "一般公共预算教育支出（元）",
    "其中：学前教育（元）",
    "其中：小学（元）",
    "其中：初中（元）",
    "其中：普通高中（元）",
    "其中：中等职业教育（元）",
    "其中：特殊教育（元）",
]
POP = ["行政区", "年份", "年龄", "人数", "数据来源"]


def preview(tmp_path, dataset, rows, headers, user, name="f.csv", **kw):
    path = (write_xlsx if name.endswith(".xlsx") else write_csv)(tmp_path / name, rows, headers=headers)
    return services.preview(services.create_batch(user, dataset, path, name, **kw))


def round_trip(tmp_path, dataset, user):
    (tmp_path / "e.xlsx").write_bytes(DATASETS[dataset].export(user, "xlsx"))
    return services.preview(services.create_batch(user, dataset, tmp_path / "e.xlsx", "e.xlsx"))


def test_finance_commit_reimport_round_trip(bureau, tmp_path):
    county = bureau.org_unit
    rows = [[2023, 1_000_000, 100_000, 300_000, 200_000, 150_000, 100_000, 10_000.55], [2024, 2_000_000]]
    batch = preview(tmp_path, "finance", rows, FIN, bureau, name="a.xlsx")
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, bureau)
    f = Finance.objects.get(org_unit=county, year=2023)
    assert float(f.special) == 10_000.55 and float(f.general_budget) == 1_000_000
    assert float(Finance.objects.get(org_unit=county, year=2024).primary) == 0  # blank part of a new year
    again = preview(tmp_path, "finance", rows, FIN, bureau, name="b.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    back = round_trip(tmp_path, "finance", bureau)
    assert (back.invalid, back.new, back.changed, back.unchanged) == (0, 0, 0, 2)
    changed = preview(tmp_path, "finance", [[2024, 2_500_000]], FIN[:2], bureau, name="c.csv")
    assert changed.changed == 1 and changed.sample_changes[0]["new"] == "2500000"


def test_finance_bad_rows(bureau, tmp_path):
    rows = [
        [2023, 100, 50, 60],  # parts above the total
        [2024, -1],
        [2099, 100],
        ["二〇二〇", 100],
        [2022, 100, 100],  # parts equal to the total: fine
    ]
    batch = preview(tmp_path, "finance", rows, FIN[:4], bureau)
    errors = {e["row"]: e for e in batch.error_list()}
    assert batch.invalid == 4 and batch.new == 1
    assert "分学段经费之和（110.0元）不能大于" in errors[2]["message"]
    assert "一般公共预算教育支出" in errors[3]["column"] and "最小值" in errors[3]["message"]
    assert errors[4]["column"] == "年份" and errors[5]["column"] == "年份"
    services.commit(batch, bureau, only_valid=True)
    assert list(Finance.objects.filter(org_unit=bureau.org_unit).values_list("year", flat=True)) == [2022]


def test_finance_below_county_is_refused(school, tmp_path):
    batch = preview(tmp_path, "finance", [[2024, 100]], FIN[:2], admin_of(school))
    assert batch.invalid == 1 and "县（区）教育局" in batch.error_list()[0]["message"]
    assert not Finance.objects.filter(org_unit=school.town.parent).exists()


def test_population_by_name_and_code_round_trip(school, bureau, tmp_path):
    town, county = school.town, bureau.org_unit
    rows = [
        [town.name, 2024, 0, 310, "统计局"],
        [town.division_code, 2024, 1, 305, ""],
        [county.name, 2024, 0, 3100, "公安户籍"],
    ]
    batch = preview(tmp_path, "population", rows, POP, bureau, name="p.xlsx")
    assert (batch.new, batch.invalid) == (3, 0), batch.error_list()
    services.commit(batch, bureau)
    stored = {
        (p.org_unit_id, p.age): (p.population, p.source)
        for p in Population.objects.filter(year=2024, org_unit__in=[town, county])
    }
    assert stored == {
        (town.pk, 0): (310, "统计局"),
        (town.pk, 1): (305, "统计局"),
        (county.pk, 0): (3100, "公安户籍"),
    }
    again = preview(tmp_path, "population", rows, POP, bureau, name="q.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    back = round_trip(tmp_path, "population", bureau)
    assert (back.invalid, back.new, back.changed) == (0, 0, 0) and back.unchanged >= 3


def test_population_bad_rows(school, bureau, tmp_path):
    other_county = CountyFactory(name="别的县", division_code="379902")
    elsewhere = TownFactory(parent=other_county, name="别县镇", division_code="379902101")
    town = school.town
    rows = [
        [town.name, 2024, "出生", 100, ""],
        [town.name, 2024, 121, 1, ""],
        [town.name, 2024, 120, 1, ""],
        [town.name, 2024, -1, 1, ""],
        ["不存在镇", 2024, 5, 1, ""],
        [town.name, 2024, 6, -3, ""],
        [town.division_code, 2024, 120, 2, ""],  # the same key as row 4, by code
        [elsewhere.division_code, 2024, 7, 1, ""],  # a town of another county
        [town.name, 2024, 119, 4, ""],
    ]
    batch = preview(tmp_path, "population", rows, POP, bureau)
    errors = {e["row"]: e for e in batch.error_list()}
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8, 9} and batch.new == 1
    assert errors[2]["column"] == "年龄" and "整数" in errors[2]["message"]
    assert "大于最大值120" in errors[3]["message"] and "小于最小值0" in errors[5]["message"]
    assert "不存在" in errors[6]["message"] and errors[7]["column"] == "人数"
    assert (
        "与第8行重复" in errors[4]["message"]
        and "与第4行重复" in errors[8]["message"]
        and "本县" in errors[9]["message"]
    )
    services.commit(batch, bureau, only_valid=True)
    assert list(Population.objects.filter(org_unit=town).values_list("age", "population")) == [(119, 4)]
    assert not Population.objects.filter(org_unit=elsewhere).exists()


def test_population_scope(school, tmp_path):
    batch = preview(tmp_path, "population", [[school.town.name, 2024, 3, 10, ""]], POP, admin_of(school))
    assert batch.invalid == 1 and batch.error_list()[0]["message"] == "无权导入其他地区的数据"
    assert batch.error_list()[0]["column"] == "行政区" and batch.error_list()[0]["row"] == 2
