"""The 年度通报 ranking (page and xlsx), the pupil list of a class or grade, a pupil's page, navigation."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import unescape

import polars as pl
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.core.ids import mask_id_number
from edubrain.fitness import ranking
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.services import score_rows


def test_ranking_by_stage_with_change(fit):
    frame = ranking.ranking(fit.users.admin, 2025)
    rows = {(r["stage"], r["school_name"]): r for r in frame.to_dicts()}
    assert set(rows) == {("primary", "体测九年一贯制学校"), ("primary", "体测小学"),
                         ("junior", "体测初中"), ("junior", "体测九年一贯制学校")}
    # 九年一贯制 ranks in each stage on its own grades: 六年级 n1 良好 (100 %), 初一 n2 不及格 (0 %)
    assert rows[("primary", "体测九年一贯制学校")]["rank"] == 1
    assert rows[("primary", "体测小学")]["rank"] == 2
    assert rows[("junior", "体测初中")]["rank"] == 1 and rows[("junior", "体测九年一贯制学校")]["rank"] == 2
    p = rows[("primary", "体测小学")]
    assert (p["expected"], p["tested"], p["exempt"], p["missing"]) == (6, 4, 1, 1)
    assert (p["excellent_good_rate"], p["excellent_good_rate_change"], p["town_name"]) == (
        50.0, 10.0, "体测镇甲")
    assert frame["stage"].to_list()[:2] == ["primary", "primary"]  # 小学 first, then 初中


def test_ranking_page(client, fit):
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:ranking"), {"year": 2025}).content.decode()
    assert "体质健康年度通报" in html and "小学（2 所，按优良率排名）" in html and "初中（2 所，" in html
    primary = re.search(r'data-stage="primary".*?</section>', html, re.S).group(0)
    assert primary.index("体测九年一贯制学校") < primary.index("体测小学")
    assert f'href="/fitness/?unit={fit.primary.org_unit_id}&amp;year=2025"' in primary
    assert "免测学生不计入分母" in html


def test_ranking_xlsx(client, fit):
    client.force_login(fit.users.leader)
    response = client.get(reverse("fitness:ranking-xlsx"), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    header, body = rows[0], rows[1:]
    assert header[:4] == ("学段", "名次", "学校", "镇/街道") and "优良率(%)" in header
    assert [(r[0], r[1], r[2]) for r in body] == [
        ("小学", 1, "体测九年一贯制学校"), ("小学", 2, "体测小学"),
        ("初中", 1, "体测初中"), ("初中", 2, "体测九年一贯制学校"),
    ]


def test_ranking_without_data(client, fit):
    client.force_login(fit.users.leader)
    assert "没有体质测试成绩" in client.get(reverse("fitness:ranking"), {"year": 2019}).content.decode()
    response = client.get(reverse("fitness:ranking-xlsx"), {"year": 2019})
    assert list(load_workbook(io.BytesIO(response.content)).active.values)[0][0] == "学段"


def test_class_list_masks_student_numbers_by_role(client, fit):
    params = {"unit": fit.primary.org_unit_id, "class": fit.classes.p4_2.pk}
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:students"), params).content.decode()
    assert 'data-total="3"' in html
    assert fit.s4.student_number not in html and mask_id_number(fit.s4.student_number) in html
    assert "50.0" in html and "不及格" in html and "免测" in html and "未测" in html
    assert f'href="/fitness/students/{fit.s4.pk}/?year=2025"' in html
    client.force_login(fit.users.admin)
    assert fit.s4.student_number in client.get(reverse("fitness:students"), params).content.decode()


def test_grade_list_has_every_class_and_item_columns(client, fit):
    client.force_login(fit.users.primary)
    params = {"unit": fit.primary.org_unit_id, "grade": "14"}
    html = client.get(reverse("fitness:students"), params).content.decode()
    assert 'data-total="6"' in html and "四年级(1)班" in html and "四年级(2)班" in html
    assert ">体重指数<" in html and ">50米跑<" in html and ">肺活量<" not in html


def test_student_list_needs_a_grade_or_class(client, fit):
    client.force_login(fit.users.admin)
    assert client.get(reverse("fitness:students"), {"unit": fit.primary.org_unit_id}).status_code == 404


def test_student_page_history_graduation_and_card(client, fit):
    client.force_login(fit.users.admin)
    html = client.get(reverse("fitness:student", args=[fit.s1.pk])).content.decode()
    assert "2024—2025学年" in html and "2025—2026学年" in html
    assert 'id="graduation" data-value="90.0"' in html  # 0.5 × 95 + 0.5 × 85
    assert "小学毕业成绩" in html and "尚未到毕业年级" in html
    assert 'id="report-card" data-year="2025"' in html and "window.print()" in html
    older = client.get(reverse("fitness:student", args=[fit.s1.pk]), {"year": 2024}).content.decode()
    assert 'id="report-card" data-year="2024"' in older


def test_graduation_counts_only_the_current_stage(client, fit):
    client.force_login(fit.users.admin)
    html = client.get(reverse("fitness:student", args=[fit.j1.pk])).content.decode()
    assert "六年级" in html and "初一" in html  # both years in the history
    assert 'id="graduation"' not in html  # one junior year only: no 初中毕业成绩 yet


def test_student_card_shows_raw_values_with_units(client, fit):
    """A measurement scored by the service: values with units, runs as m'ss", item scores and levels."""
    raw = pl.DataFrame({
        "grade_code": ["16"], "sex": ["F"], "exempt": [False], "height_cm": [150.0], "weight_kg": [40.0],
        "vital_capacity_ml": [2200], "sprint_50m_s": [8.5], "sit_and_reach_cm": [12.5],
        "rope_skip_1min": [150], "situps_1min": [45], "shuttle_50x8_s": [110.0],
    })
    scored = score_rows(raw).to_dicts()[0]
    values = {k: (Decimal(str(v)) if isinstance(v, float) else v) for k, v in scored.items() if k != "sex"}
    FitnessMeasurement.objects.filter(student=fit.n1).delete()
    FitnessMeasurement.objects.create(student=fit.n1, school_year=fit.y25, school=fit.nine, **values)
    client.force_login(fit.users.admin)
    html = unescape(client.get(reverse("fitness:student", args=[fit.n1.pk])).content.decode())
    assert "8.5秒" in html and "1'50\"" in html and "2200毫升" in html and "12.5厘米" in html
    assert "身高 150厘米，体重 40千克" in html
    assert f'data-total>{float(scored["total_score"]):.1f}<' in html
    assert scored["rating"] in html


def test_nav_has_a_real_fitness_entry(client, fit):
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:overview")).content.decode()
    assert 'href="/fitness/" class="active" aria-current="page">体质健康</a>' in html
    soon = re.findall(r'<span class="soon"[^>]*>([^<]+)<', html)
    assert "体质健康" not in soon and "均衡发展" not in soon and "工作推进" not in soon


def test_ranking_by_another_figure_and_ties(client, fit):
    by_tested = ranking.ranking(fit.users.admin, 2025, "tested").filter(pl.col("stage") == "primary")
    assert by_tested["school_name"].to_list() == ["体测小学", "体测九年一贯制学校"]
    # a school equal to 体测九年一贯制学校's primary part on every figure shares its rank
    from factories import EnrollmentFactory, SchoolClassFactory, SchoolFactory

    from .conftest import measure, pupil

    twin = SchoolFactory(town=fit.town_b, name="体测并列小学", school_type="primary", code="3800000099")
    girl = pupil(twin, "体测并列", "F")
    EnrollmentFactory(student=girl, school_year=fit.y25,
                      school_class=SchoolClassFactory(school=twin, school_year=fit.y25, grade_code="16"))
    measure(girl, fit.y25, twin, "16", 81.0)
    primary = ranking.ranking(fit.users.admin, 2025).filter(pl.col("stage") == "primary")
    assert dict(zip(primary["school_name"], primary["rank"], strict=True)) == {
        "体测九年一贯制学校": 1, "体测并列小学": 1, "体测小学": 3}
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:ranking"), {"year": 2025, "by": "mean_score"}).content.decode()
    assert "按平均分排名" in html and 'data-by="mean_score"' in html
    assert "by=mean_score" in html  # the xlsx link keeps the choice


def test_student_page_items_over_the_years(client, fit):
    client.force_login(fit.users.admin)
    html = client.get(reverse("fitness:student", args=[fit.s1.pk])).content.decode()
    table = re.search(r'<table class="data compact" id="item-history">.*?</table>', html, re.S).group(0)
    assert "2024学年" in table and "2025学年" in table
    row = re.search(r"<th scope=\"row\">50米跑</th>(.*?)</tr>", table, re.S).group(1)
    assert "—" in row and "100 分 · 优秀" in row  # 2024 has no 50米跑 score stored, 2025 has 100
