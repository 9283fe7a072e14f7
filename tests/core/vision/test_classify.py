"""``classify_frame``: every threshold of standards.md §5.3–5.5 at, just above and just below its boundary,
and bad input rows explained instead of classified."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from edubrain.core.vision import OUTPUT_COLUMNS, VisionOptions, classify_frame

BASE: dict[str, Any] = {
    "age": 10.0,
    "left_acuity": 5.0,
    "right_acuity": 5.0,
    "left_sphere": 0.25,
    "left_cylinder": 0.0,
    "left_axis": 0.0,
    "right_sphere": 0.25,
    "right_cylinder": 0.0,
    "right_axis": 0.0,
    "correction": "",
}


def classify(rows: list[dict[str, Any]], options: VisionOptions | None = None) -> list[dict[str, Any]]:
    return classify_frame(pl.DataFrame(rows), options).to_dicts()


def one(options: VisionOptions | None = None, **cells: Any) -> dict[str, Any]:
    """One pupil: both eyes as BASE (age 10, 5.0, SE +0.25 — nothing to warn), ``left_*`` overridden."""
    return classify([{**BASE, **cells}], options)[0]


def both(options: VisionOptions | None = None, **cells: Any) -> dict[str, Any]:
    """Both eyes alike: ``acuity``, ``sphere``, ``cylinder`` set on each eye."""
    row = dict(BASE)
    for key in ("acuity", "sphere", "cylinder"):
        if key in cells:
            value = cells.pop(key)
            row[f"left_{key}"] = row[f"right_{key}"] = value
    return classify([{**row, **cells}], options)[0]


def test_output_columns_exact_and_row_for_row():
    frame = pl.DataFrame(
        [BASE, {**BASE, "left_acuity": 6.0}, {**BASE, "left_acuity": 4.5, "left_sphere": -2}]
    )
    out = classify_frame(frame)
    assert out.columns == list(OUTPUT_COLUMNS)
    assert out["status"].to_list() == ["classified", "invalid", "classified"]
    assert out["myopia"].to_list() == [False, None, True]
    assert out.schema["warning_level"] == pl.Int8


def test_spherical_equivalent():
    r = one(left_sphere=-0.25, left_cylinder=-0.50, right_sphere=-1.0, right_cylinder=None)
    assert (r["left_se"], r["right_se"]) == (-0.5, -1.0)  # a blank cylinder beside a sphere is 0.00
    r = one(left_sphere=-0.75, left_cylinder=0.50)  # the plus-cylinder transposition of −0.25 / −0.50
    assert r["left_se"] == -0.5


# ---- 筛查性近视 (§5.3) ----


@pytest.mark.parametrize(
    ("acuity", "myopic"), [(4.8, True), (4.9, True), (5.0, False), (5.1, False)]
)  # fmt: skip
def test_acuity_cut_5_0(acuity, myopic):
    r = one(left_acuity=acuity, left_sphere=-1.0)
    assert r["left_myopia"] is myopic and r["myopia"] is myopic and r["right_myopia"] is False


@pytest.mark.parametrize(("age", "acuity", "myopic"), [(5.9, 4.8, True), (5.9, 4.9, False), (6.0, 4.9, True)])
def test_acuity_cut_below_six_is_4_9(age, acuity, myopic):
    assert one(age=age, left_acuity=acuity, left_sphere=-1.0)["left_myopia"] is myopic


@pytest.mark.parametrize(
    ("sphere", "le", "lt"),
    [(-0.49, False, False), (-0.50, True, False), (-0.51, True, True)],
)
def test_se_boundary_with_both_comparators(sphere, le, lt):
    assert one(left_acuity=4.9, left_sphere=sphere)["left_myopia"] is le
    assert one(VisionOptions(myopia_comparator="<"), left_acuity=4.9, left_sphere=sphere)["left_myopia"] is lt


def test_se_minus_half_from_sphere_and_cylinder():
    r = one(left_acuity=4.9, left_sphere=-0.25, left_cylinder=-0.50)
    assert r["left_se"] == -0.5 and r["left_myopia"] is True
    assert (
        one(VisionOptions(myopia_comparator="<"), left_acuity=4.9, left_sphere=-0.25, left_cylinder=-0.5)[
            "left_myopia"
        ]
        is False
    )


def test_either_eye_makes_the_pupil_myopic():
    r = one(right_acuity=4.6, right_sphere=-2.0)
    assert (r["left_myopia"], r["right_myopia"], r["myopia"]) == (False, True, True)


# ---- degree (§5.4) ----


@pytest.mark.parametrize(
    ("se", "degree"),
    [(-0.50, "低度"), (-2.99, "低度"), (-3.00, "低度"), (-3.01, "中度"), (-5.99, "中度"), (-6.00, "中度"),
     (-6.01, "高度"), (-12.0, "高度")],
)  # fmt: skip
def test_degree_bands(se, degree):
    assert both(acuity=4.5, sphere=se)["degree"] == degree


def test_degree_is_the_more_myopic_of_the_myopic_eyes():
    # right eye −7.00 but acuity 5.0: not 筛查性近视, so it does not set the degree
    assert one(left_acuity=4.5, left_sphere=-1.0, right_sphere=-7.0)["degree"] == "低度"
    assert one(left_acuity=4.5, left_sphere=-1.0, right_acuity=4.0, right_sphere=-7.0)["degree"] == "高度"
    assert one()["degree"] == "无"


def test_degree_bands_are_settings():
    opts = VisionOptions(moderate_se=-2.0, high_se=-5.0)
    assert both(opts, acuity=4.5, sphere=-2.01)["degree"] == "中度"
    assert both(opts, acuity=4.5, sphere=-5.01)["degree"] == "高度"


# ---- 近视前期 and 远视储备不足 (§5.4) ----


@pytest.mark.parametrize(
    ("sphere", "pre"), [(-0.49, True), (0.0, True), (0.74, True), (0.75, True), (0.76, False), (2.0, False)]
)
def test_pre_myopia_range(sphere, pre):
    assert both(sphere=sphere)["pre_myopia"] is pre  # age 10: no reserve row applies


def test_pre_myopia_at_minus_half_follows_the_comparator():
    # acuity 5.0: not 筛查性近视; SE −0.50 is on the myopic side with "≤" (not pre-myopia),
    # pre-myopia with "<"
    assert both(sphere=-0.5)["pre_myopia"] is False
    assert both(VisionOptions(myopia_comparator="<"), sphere=-0.5)["pre_myopia"] is True


def test_myopic_pupil_is_not_pre_myopic():
    r = one(left_acuity=4.5, left_sphere=-1.0, right_sphere=0.0)
    assert r["myopia"] is True and r["pre_myopia"] is False


@pytest.mark.parametrize(
    ("age", "floor"), [(4.0, 2.0), (4.5, 2.0), (5.0, 2.0), (5.9, 2.0), (6.0, 1.5), (6.9, 1.5), (7.0, 1.3)]
)
def test_hyperopic_reserve_by_age(age, floor):
    # acuity normal (5.0 ≥ the cut for every age); above +0.75 so only the reserve can make it pre-myopia
    assert both(age=age, sphere=floor - 0.01)["pre_myopia"] is True
    assert both(age=age, sphere=floor)["pre_myopia"] is False
    assert both(age=age, sphere=floor + 0.01)["pre_myopia"] is False


@pytest.mark.parametrize("age", [3.0, 3.9, 8.0, 12.0, None])
def test_no_reserve_row_outside_the_table(age):
    assert both(age=age, sphere=1.0)["pre_myopia"] is False


def test_reserve_needs_normal_acuity():
    assert both(age=6, acuity=5.0, sphere=1.0)["pre_myopia"] is True
    assert both(age=6, acuity=4.9, sphere=1.0)["pre_myopia"] is False  # cut 5.0 at age 6
    assert both(age=4, acuity=4.9, sphere=1.0)["pre_myopia"] is True  # cut 4.9 below age 6


def test_reserve_table_is_a_setting():
    opts = VisionOptions(hyperopic_reserve=((8, 10, 1.0),))
    assert both(opts, age=9, sphere=0.99)["pre_myopia"] is True
    assert both(opts, age=9, sphere=1.0)["pre_myopia"] is False


def test_age_from_birth_and_screening_dates():
    row = {**BASE, "age": None, "left_acuity": 4.9, "left_sphere": -1.0, "birth_date": dt.date(2015, 9, 11)}
    before, on = dt.date(2021, 9, 10), dt.date(2021, 9, 11)
    out = classify([{**row, "screened_on": before}, {**row, "screened_on": on}])
    assert [r["left_myopia"] for r in out] == [False, True]  # 5 years old the day before: cut 4.9
    text = [{**row, "birth_date": "2015-09-11", "screened_on": "2021-09-11"}]
    assert classify(text)[0]["left_myopia"] is True


# ---- pupil-level warning, scheme (a) of §5.5 ----


def level(options: VisionOptions | None = None, **cells: Any) -> tuple[int, str]:
    r = one(options, **cells)
    return r["warning_level"], r["warning_label"]


def test_no_warning_baseline():
    assert level() == (0, "无预警")


@pytest.mark.parametrize(
    ("age", "acuity", "expected"),
    [
        (10, 5.1, -1), (10, 5.0, -1), (10, 4.9, 1), (10, 4.8, 2), (10, 4.7, 3), (10, 4.0, 3),
        (5, 5.0, -1), (5, 4.9, 1), (5, 4.8, 2), (5, 4.7, 3),
        (4, 5.1, -1), (4, 5.0, -1), (4, 4.9, 0), (4, 4.8, 1), (4, 4.7, 2), (4, 4.6, 3),
        (3, 5.0, -1), (3, 4.9, -1), (3, 4.8, 0), (3, 4.7, 1), (3, 4.6, 2), (3, 4.5, 3),
        (None, 4.9, 1), (None, 4.7, 3),
    ],
)  # fmt: skip
def test_warning_by_acuity(age, acuity, expected):
    # SE +0.25 in both eyes and age 3–5: below every hyperopia threshold; ages 4–5 SE below the reserve
    # floor affects only 近视前期
    assert level(age=age, left_acuity=acuity) == (max(expected, 0), _label(expected))


def _label(expected: int) -> str:
    return "无预警" if expected < 0 else f"{expected}级预警"


@pytest.mark.parametrize(
    ("sphere", "expected"),
    [
        (0.0, -1), (-0.24, 0), (-0.25, 0), (-0.26, 0), (-0.49, 0), (-0.50, 0), (-0.51, 1), (-2.99, 1),
        (-3.00, 1), (-3.01, 2), (-5.99, 2), (-6.00, 2), (-6.01, 3),
    ],
)  # fmt: skip
def test_warning_by_myopic_se(sphere, expected):
    # acuity 5.0 (no acuity rule); SE −0.24 is 0 级 by the crude reserve rule SE < 0.00
    assert level(left_sphere=sphere) == (max(expected, 0), _label(expected))


@pytest.mark.parametrize(
    ("cylinder", "expected"),
    [
        (-0.24, -1), (-0.25, 0), (-0.49, 0), (-0.50, 1), (-1.99, 1), (-2.00, 1), (-2.01, 2), (-3.99, 2),
        (-4.00, 2), (-4.01, 3), (0.50, 1), (4.01, 3),
    ],
)  # fmt: skip
def test_warning_by_astigmatism(cylinder, expected):
    # sphere −C/2 keeps SE at 0.00: only the |C| rule speaks
    assert level(left_sphere=-cylinder / 2, left_cylinder=cylinder) == (max(expected, 0), _label(expected))


@pytest.mark.parametrize(
    ("age", "cuts"), [(10, (0.5, 3.0, 6.0)), (8, (0.5, 3.0, 6.0)), (None, (0.5, 3.0, 6.0)),
                      (7, (1.5, 4.5, 7.5)), (6, (1.5, 4.5, 7.5)), (5, (2.0, 5.0, 8.0)), (4, (2.0, 5.0, 8.0)),
                      (3, (4.0, 6.0, 9.0))],
)  # fmt: skip
def test_warning_by_hyperopic_se(age, cuts):
    for k, cut in enumerate(cuts, start=1):
        assert level(age=age, left_sphere=cut)[0] == k - 1
        assert level(age=age, left_sphere=cut + 0.01)[0] == k
        assert level(age=age, left_sphere=cut - 0.01)[0] == k - 1


def test_pupil_level_is_the_worst_rule_and_eye():
    # left acuity 4.9 → 1; right SE −3.01 → 2; right |C| 4.01 → 3
    assert level(left_acuity=4.9, right_sphere=-3.01)[0] == 2
    assert level(left_acuity=4.9, right_sphere=-3.01 + 2.005, right_cylinder=-4.01)[0] == 3


def test_warning_scheme_is_a_setting():
    opts = VisionOptions(warning_myopia_se=(-1.0, -2.0, -3.0), warning_acuity=((0, (None, 4.8, 4.7, 4.6)),))
    assert level(opts, left_sphere=-0.75)[0] == 0
    assert level(opts, left_sphere=-1.01)[0] == 1
    assert level(opts, left_acuity=4.8)[0] == 0
    assert level(opts, left_acuity=4.7)[0] == 1


# ---- correction ----


def test_orthokeratology_counts_as_myopic():
    r = one(correction="orthok", left_corrected=5.0, right_corrected=5.0, left_sphere=0.0, right_sphere=0.0)
    assert r["status"] == "classified"
    assert (r["left_myopia"], r["right_myopia"], r["myopia"], r["degree"]) == (True, True, True, "低度")
    assert r["pre_myopia"] is False and r["warning_level"] == 1
    # uncorrected acuity and refraction may be absent; the corrected acuity is what is needed
    bare = {"age": 10, "correction": "orthok", "left_corrected": 5.0, "right_corrected": 4.9}
    assert classify([bare])[0]["myopia"] is True
    r = classify([{"age": 10, "correction": "orthok"}])[0]
    assert r["status"] == "invalid" and "缺少左眼数据" in r["remark"]
    r = classify([{"age": 10, "correction": "orthok", "left_acuity": 5.0, "right_corrected": 5.0}])[0]
    assert r["status"] == "invalid" and "缺少左眼矫正视力" in r["remark"]
    relaxed = VisionOptions(orthok_needs_corrected=False)
    assert classify([{"age": 10, "correction": "orthok"}], relaxed)[0]["myopia"] is True


def test_orthokeratology_degree_from_its_refraction_when_read():
    r = one(correction="orthok", left_corrected=5.0, right_corrected=5.0, left_sphere=-3.5)
    assert r["degree"] == "中度"


def test_glasses_wearers_classified_on_uncorrected_acuity():
    r = one(correction="glasses", left_acuity=4.5, left_sphere=-2.0, left_corrected=5.0)
    assert r["left_myopia"] is True and r["degree"] == "低度"


# ---- bad input ----


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"left_acuity": 6.0}, "左眼裸眼视力6.0不在视力表范围"),
        ({"left_acuity": 0.0}, "左眼裸眼视力0.0不在视力表范围"),
        ({"left_acuity": 2.9}, "不在视力表范围"),
        ({"left_acuity": 5.4}, "不在视力表范围"),
        ({"left_acuity": 4.85}, "0.1一档"),
        ({"left_corrected": 7.0}, "左眼矫正视力7.0不在视力表范围"),
        ({"left_sphere": -25.25}, "左眼球镜-25.25D超出可能范围（±25D）"),
        ({"right_sphere": 30.0}, "右眼球镜30.0D超出可能范围"),
        ({"left_cylinder": -10.25}, "左眼柱镜-10.25D超出可能范围（±10D）"),
        ({"left_axis": 181.0}, "左眼轴位181.0不在0—180度"),
        ({"right_axis": -1.0}, "右眼轴位-1.0不在0—180度"),
        ({"axial_left": 40.0}, "左眼眼轴长度40.0mm不在合理范围"),
        ({"left_acuity": None, "left_sphere": None, "left_cylinder": None}, "缺少左眼数据"),
        ({"right_acuity": None}, "缺少右眼裸眼视力"),
        ({"left_sphere": None}, "缺少左眼球镜"),
        ({"correction": "隐形眼镜"}, "戴镜类型“隐形眼镜”无法识别"),
        ({"age": -1.0}, "年龄-1.0岁不合理"),
        ({"left_acuity": float("nan")}, "不在视力表范围"),
    ],
)
def test_bad_rows_are_explained_not_classified(cells, reason):
    r = one(**cells)
    assert r["status"] == "invalid" and reason in r["remark"]
    assert all(r[c] is None for c in OUTPUT_COLUMNS if c not in ("status", "remark"))


@pytest.mark.parametrize(
    "cells",
    [
        {"left_acuity": 3.0}, {"left_acuity": 5.3}, {"left_sphere": -25.0}, {"left_sphere": 25.0},
        {"left_cylinder": -10.0}, {"left_axis": 180.0}, {"left_axis": 0.0}, {"axial_left": 23.5},
        {"left_axis": None}, {"correction": None},
    ],
)  # fmt: skip
def test_limits_themselves_are_accepted(cells):
    assert one(**cells)["status"] == "classified"


def test_all_reasons_of_a_row_are_given():
    r = one(left_acuity=6.0, right_axis=200.0)
    assert (
        r["remark"] == "左眼裸眼视力6.0不在视力表范围（五分记录3.0—5.3，0.1一档）；右眼轴位200.0不在0—180度"
    )


def test_mixed_cylinder_signs_flag_every_row_with_a_cylinder():
    rows = [
        {**BASE, "left_cylinder": -0.5},
        {**BASE, "right_cylinder": 0.75},
        {**BASE},  # no cylinder: nothing to misread
    ]
    out = classify(rows)
    assert [r["status"] for r in out] == ["invalid", "invalid", "classified"]
    assert "柱镜正负号混用" in out[0]["remark"]
    # one convention per file: files kept apart by ``batch`` are judged separately
    out = classify([{**rows[0], "batch": "a"}, {**rows[1], "batch": "b"}])
    assert [r["status"] for r in out] == ["classified", "classified"]
    assert [r["status"] for r in classify(rows, VisionOptions(check_cylinder_signs=False))] == [
        "classified"
    ] * 3


def test_one_convention_is_fine_either_way():
    assert {
        r["status"] for r in classify([{**BASE, "left_cylinder": 0.5}, {**BASE, "right_cylinder": 1.0}])
    } == {"classified"}


def test_columns_may_be_absent_and_strings_are_numbers():
    out = classify_frame(pl.DataFrame({"left_acuity": ["4.5"], "right_acuity": ["5.0"]}))
    assert (
        out["status"][0] == "invalid"
        and out["remark"][0] == "缺少左眼球镜（电脑验光）；缺少右眼球镜（电脑验光）"
    )
    out = classify_frame(pl.DataFrame({"left_acuity": ["4.5"], "right_acuity": ["5.0"], "left_sphere": ["-1"],
                                       "right_sphere": ["0"]}))  # fmt: skip
    assert out["myopia"][0] is True  # no age at all: the school-age rules apply


def test_empty_frame():
    out = classify_frame(pl.DataFrame(schema={"left_acuity": pl.Float64}))
    assert out.height == 0 and out.columns == list(OUTPUT_COLUMNS)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="comparator"):
        VisionOptions(myopia_comparator="=")
    with pytest.raises(ValueError, match="degree bands"):
        VisionOptions(moderate_se=-7.0)
    with pytest.raises(ValueError, match="oldest first"):
        VisionOptions(warning_acuity=((0, (None, 5.0, 4.9, 4.8)), (5, (None, 5.0, 4.9, 4.8))))


def test_large_frame_is_vectorised():
    frame = pl.DataFrame([BASE, {**BASE, "left_acuity": 4.5, "left_sphere": -2.0}] * 50_000)
    out = classify_frame(frame)
    assert out.height == 100_000 and int(out["myopia"].sum()) == 50_000
