"""classify_rows (the bridge to the pure classifier, in model dtypes) and reclassify / ``edubrain vision
reclassify`` over stored screenings."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import call_command

from edubrain.base.frames import field_dtype
from edubrain.registry.models import SchoolYear
from edubrain.vision.models import VisionScreening
from edubrain.vision.services import CLASS_FIELDS, classify_rows, reclassify

BORN = dt.date(2012, 5, 1)


def raw(**over):
    row = {
        "birth_date": BORN,
        "screened_on": dt.date(2024, 10, 10),
        "left_acuity": 4.6,
        "right_acuity": 5.0,
        "left_sphere": -1.25,
        "left_cylinder": -0.5,
        "left_axis": 90,
        "right_sphere": 0.5,
        "right_cylinder": 0.0,
        "right_axis": None,
        "correction": "glasses",
        "left_corrected": 5.0,
        "right_corrected": 5.0,
    }
    return row | over


def test_classify_rows_adds_the_fields_in_model_dtypes():
    frame = pl.DataFrame([raw(), raw(left_acuity=5.0, left_sphere=0.5, left_cylinder=0.0, correction="")])
    out = classify_rows(frame.with_columns(pl.lit("x").alias("myopia")))  # stale values are replaced
    assert out.columns[: frame.width] == frame.columns and out.height == 2
    for name in CLASS_FIELDS:
        assert out.schema[name] == field_dtype(VisionScreening, name), name
    first, second = out.to_dicts()
    assert (first["left_se"], first["right_se"], first["left_myopia"], first["right_myopia"]) == (
        -1.5,
        0.5,
        True,
        False,
    )
    assert (first["myopia"], first["degree"], first["status"], first["remark"]) == (
        True,
        "低度",
        "classified",
        "",
    )
    assert (second["myopia"], second["degree"], second["pre_myopia"]) == (False, "无", True)


def test_rows_without_refraction_are_invalid_with_a_reason():
    out = classify_rows(pl.DataFrame([raw(left_sphere=None, left_cylinder=None, left_axis=None)]))
    row = out.to_dicts()[0]
    assert row["status"] == "invalid" and "球镜" in row["remark"] and row["myopia"] is None


def test_missing_date_is_the_autumn_of_the_school_year():
    frame = pl.DataFrame([raw(screened_on=None, start_year=2024)])
    assert classify_rows(frame)["status"].to_list() == ["classified"]
    assert classify_rows(pl.DataFrame([])).height == 0


@pytest.fixture
def stored(pupils, school):
    years = {y.start_year: y for y in SchoolYear.objects.filter(start_year__in=[2024, 2025])}

    def screening(student, year, **over):
        fields = {k: v for k, v in raw(**over).items() if k != "birth_date"}
        fields = {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in fields.items()}
        fields["screened_on"] = fields["screened_on"].replace(year=year)
        return VisionScreening.objects.create(
            student=student, school=school, school_year=years[year], **fields
        )

    return [
        screening(pupils[0], 2024),
        screening(pupils[1], 2024, left_sphere=-7.0),
        screening(pupils[0], 2025),
    ]


def test_reclassify_stores_the_classification(stored):
    assert all(s.status == "" and s.myopia is None for s in stored)
    done = reclassify(VisionScreening.objects.filter(pk__in=[s.pk for s in stored[:2]]))
    assert done == 2
    first, high, untouched = (VisionScreening.objects.get(pk=s.pk) for s in stored)
    assert (first.left_se, first.myopia, first.degree, first.status) == (
        Decimal("-1.500"),
        True,
        "低度",
        "classified",
    )
    assert (high.left_se, high.degree) == (Decimal("-7.250"), "高度")
    assert untouched.status == "" and untouched.myopia is None


def test_reclassify_command_by_year(stored):
    out = io.StringIO()
    call_command("vision", "reclassify", "--year", "2025", stdout=out)
    assert out.getvalue().startswith("已重新计算 ") and "条视力筛查记录的分类" in out.getvalue()
    assert VisionScreening.objects.get(pk=stored[2].pk).status == "classified"
    assert VisionScreening.objects.get(pk=stored[0].pk).status == ""


def test_the_command_has_no_classify_subcommand():
    from django.core.management import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command("vision", "classify", "in.csv")
