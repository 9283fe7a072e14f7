"""体质健康 API: summary, ranking, a pupil's history (masked 学籍号) and the indicators; OpenAPI docs."""

from __future__ import annotations

from edubrain.core.ids import mask_id_number

from .support import api_client, get_json


def test_summary(fit):
    body = get_json(api_client(fit.users.leader), "/api/fitness/summary", year=2025)
    assert body["year"] == 2025 and body["unit"]["level"] == "county"
    f = body["figures"]
    assert (f["expected"], f["tested"], f["exempt"], f["missing"]) == (11, 7, 1, 1)
    assert (f["excellent_good_rate"], f["pass_rate"], f["excellent_good_rate_change"]) == (57.1, 71.4, 17.1)
    assert [t["year"] for t in body["trend"]] == [2024, 2025]
    assert [c["name"] for c in body["children"]] == ["体测镇甲", "体测镇乙"]
    assert body["children"][0]["unit"] == fit.town_a.pk
    assert "免测" in body["rule"]


def test_summary_of_a_grade_lists_its_classes(fit):
    body = get_json(api_client(fit.users.admin), "/api/fitness/summary", year=2025,
                    unit=fit.primary.org_unit_id, grade="14")
    assert body["unit"]["level"] == "grade"
    classes = {c["name"]: c for c in body["children"]}
    assert classes["四年级(2)班"]["class_id"] == fit.classes.p4_2.pk
    assert [i["item"] for i in body["items"]] == ["run_50m", "bmi"]
    assert sum(b["n"] for b in body["histogram"]) == 4


def test_ranking(fit):
    rows = get_json(api_client(fit.users.leader), "/api/fitness/ranking", year=2025)
    assert [(r["stage"], r["rank"], r["school_name"]) for r in rows] == [
        ("primary", 1, "体测九年一贯制学校"), ("primary", 2, "体测小学"),
        ("junior", 1, "体测初中"), ("junior", 2, "体测九年一贯制学校"),
    ]
    assert rows[1]["org_unit_id"] == fit.primary.org_unit_id and rows[1]["excellent_good_rate_change"] == 10.0


def test_student_history_masked_by_role(fit):
    leader = get_json(api_client(fit.users.leader), f"/api/fitness/students/{fit.s1.pk}")
    assert leader["student_number"] == mask_id_number(fit.s1.student_number) != fit.s1.student_number
    assert [(y["year"], y["total_score"], y["rating"]) for y in leader["years"]] == [
        (2024, 85.0, "良好"), (2025, 95.0, "优秀")]
    assert leader["years"][1]["scores"]["run_50m"] == 100
    g = leader["graduation"]
    assert (g["graduation_score"], g["rating"], g["stage"], g["final"]) == (90.0, "优秀", "primary", False)
    admin = get_json(api_client(fit.users.admin), f"/api/fitness/students/{fit.s1.pk}")
    assert admin["student_number"] == fit.s1.student_number
    get_json(api_client(fit.users.admin), "/api/fitness/students/999999999", expect=404)


def test_indicators(fit):
    body = get_json(api_client(fit.users.leader), "/api/fitness/indicators", year=2025)
    meta = {i["code"]: i for i in body["indicators"]}
    assert meta["fitness_excellent_good_rate"]["target"] == 55
    assert meta["fitness_pass_rate"]["target"] == 95 and meta["fitness_pass_rate"]["comparator"] == ">="
    county = {v["indicator"]: v for v in body["values"] if v["org_unit_id"] == fit.county.pk}
    assert county["fitness_excellent_good_rate"] == {
        "org_unit_id": fit.county.pk, "year": 2025, "indicator": "fitness_excellent_good_rate",
        "value": 57.1, "numerator": 4, "denominator": 7,
    }


def test_unauthenticated_is_401(client):
    assert client.get("/api/fitness/summary").status_code == 401


def test_openapi_documents_the_routes(client, fit):
    client.force_login(fit.users.admin)
    schema = client.get("/api/openapi.json").json()
    for route in ("/api/fitness/summary", "/api/fitness/ranking", "/api/fitness/students/{id}",
                  "/api/fitness/indicators"):
        assert route in schema["paths"], route
    summary = schema["paths"]["/api/fitness/summary"]["get"]
    assert "免测不计入分母" in summary["description"]
    assert {p["name"] for p in summary["parameters"]} >= {"year", "unit", "grade", "class"}


def test_ranking_by_and_bad_by(fit):
    client = api_client(fit.users.leader)
    rows = get_json(client, "/api/fitness/ranking", year=2025, by="tested")
    assert [r["school_name"] for r in rows if r["stage"] == "primary"] == ["体测小学", "体测九年一贯制学校"]
    get_json(client, "/api/fitness/ranking", expect=422, year=2025, by="name")
