"""Read side of 均衡发展, always scoped through ``visible_to(user)``: the unit a page looks at (县 → 镇/街道),
the 优质均衡 资源配置 evaluation of its schools (``core.balance``), the gaps and what-if, and the 普及普惠
evaluation of its 镇/街道 (``core.indicators`` formulas → ``core.preschool``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, Sum

from edubrain.balance import inputs
from edubrain.base.orgtree import OrgKind
from edubrain.base.units import UnitSelection, chosen_unit, rows_frame, unit_crumbs
from edubrain.core.balance import INDICATORS, Evaluation, Move, evaluate, gaps, what_if
from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    INDICATOR_BY_KEY,
    JUNIOR,
    NO,
    NOT_EVALUABLE,
    PASSED,
    PRIMARY,
    SCHOOL_ID,
    STAGE,
    STAGES,
    YES,
)
from edubrain.core.balance.split import COMBINED_STAGES, stage_share, stage_teacher_column
from edubrain.core.indicators.formulas import compute
from edubrain.core.preschool import PreschoolOptions, evaluate_preschool, preschool_verdict
from edubrain.registry.models import Births, SchoolYear

EVALUATED_KINDS = (OrgKind.COUNTY, OrgKind.TOWN, OrgKind.SCHOOL)  # not 责任单位
RULE = (
    "资源配置七项指标按《县域义务教育优质均衡发展督导评估办法》计算：每校（一贯制学校分学段）七项指标中至少6项达到"
    "标准值、其余项不低于标准值的85%为达标；差异系数按在校生数加权（县均值 = 资源总量 ÷ 学生总数），"
    "小学≤0.50、初中≤0.45，每项指标分别判定；与限值相差不超过0.005标为“接近限值”。"
    "一贯制学校的共用资源和教师按加权学生数（小学：初中：高中 = 1：1.1：1.32）拆分。"
)


Selection = UnitSelection  # a county or 镇/街道 the user may see (a school admin's unit is the school)


def selection_for(user: Any, unit_id: int | None) -> Selection | None:
    """The selection of ``?unit=`` (None when the user sees nothing); LookupError for a unit outside the
    scope or of a kind the pages do not evaluate (责任单位)."""
    unit = chosen_unit(user, unit_id)
    if unit is not None and unit_id is not None and unit.kind not in EVALUATED_KINDS:
        raise LookupError("没有该单位，或您无权查看")
    if unit is None or unit.kind not in EVALUATED_KINDS:
        return None
    return Selection(unit)


def breadcrumbs(user: Any, sel: Selection) -> list[tuple[str, dict[str, Any]]]:
    return unit_crumbs(user, sel.unit)


def school_years() -> list[tuple[int, str]]:
    return [(y.start_year, y.name) for y in SchoolYear.objects.order_by("-start_year")]


def latest_year() -> int | None:
    return SchoolYear.objects.order_by("-start_year").values_list("start_year", flat=True).first()


# ---------------------------------------------------------------- 优质均衡


@dataclass(frozen=True)
class BalanceResult:
    """The input rows (before the 一贯制 split), the evaluation and the gaps of the failing schools."""

    frame: pl.DataFrame
    evaluation: Evaluation
    gaps: pl.DataFrame


def balance(user: Any, sel: Selection, year: int) -> BalanceResult:
    frame = inputs.compulsory_inputs(user, sel.unit, year)
    result = evaluate(frame)
    return BalanceResult(frame, result, gaps(result.schools))


def stage_summary(result: Evaluation) -> list[dict[str, Any]]:
    """Per 学段 present: schools evaluated, passing, failing, not evaluable, CVs over the limit, near it
    and not evaluable."""
    out = []
    for stage in STAGES:
        schools = result.schools.filter(pl.col(STAGE) == stage)
        cvs = result.cvs.filter(pl.col(STAGE) == stage)
        if schools.height == 0:
            continue
        passed = schools[PASSED]
        verdict = cvs["是否达标"]
        out.append(
            {
                "stage": stage,
                "schools": schools.height,
                "passing": int((passed == YES).sum()),
                "failing": int((passed == NO).sum()),
                "not_evaluable": int((passed == NOT_EVALUABLE).sum()),
                "cv_over": int((verdict == NO).sum()),
                "cv_near": int(cvs["接近限值"].fill_null(False).sum()),
                "cv_not_evaluable": int((verdict == NOT_EVALUABLE).sum()),
                "limit": DEFAULT_OPTIONS.cv_limit(stage),
                "cv_passed": bool(cvs.height) and bool((verdict == YES).all()),
            }
        )
    return out


def _shares(frame: pl.DataFrame) -> pl.DataFrame:
    """学校标识码, 学段 (小学/初中) → the stage's share of a 一贯制 school's shared stock."""
    parts = []
    for kind, (_, evaluated) in COMBINED_STAGES.items():
        rows = frame.filter(pl.col(STAGE) == kind)
        for target in evaluated:
            parts.append(
                rows.select(
                    SCHOOL_ID, pl.lit(target).alias("part"), stage_share(rows, kind, target).alias("share")
                )
            )
    if not parts:
        return pl.DataFrame(schema={SCHOOL_ID: pl.String(), "part": pl.String(), "share": pl.Float64()})
    return pl.concat(parts)


def changes_for(
    frame: pl.DataFrame, additions: pl.DataFrame, *, whole_school_stock: bool = False
) -> dict[str, dict[str, float]]:
    """What-if ``changes`` adding resources to school stages. ``additions``: 学校标识码, 学段 (小学/初中),
    指标 key (L1…L7) and ``amount`` in natural units for that stage. A 一贯制 school's teachers are given
    per stage (小学…教师数 columns); its shared stock is the whole school's, so the amount one stage needs
    is divided by that stage's share (two stages' needs on one stock: the larger) — unless
    ``whole_school_stock``: the amounts of shared stock are then already the whole school's."""
    if additions.height == 0:
        return {}
    kinds = frame.select(SCHOOL_ID, pl.col(STAGE).alias("kind"))
    keyed = additions.join(kinds, on=SCHOOL_ID, how="inner").join(
        _shares(frame), left_on=[SCHOOL_ID, STAGE], right_on=[SCHOOL_ID, "part"], how="left"
    )
    rows: list[tuple[str, str, float]] = []
    for code, stage, key, amount, kind, share in keyed.select(
        SCHOOL_ID, STAGE, "key", "amount", "kind", "share"
    ).iter_rows():
        ind = INDICATOR_BY_KEY[key]
        if kind in COMBINED_STAGES and ind.kind == "teachers":
            rows.append((code, stage_teacher_column(stage, ind.resource), amount))
        elif kind in COMBINED_STAGES and not whole_school_stock:
            rows.append((code, ind.resource, amount / share if share else 0.0))
        else:
            rows.append((code, ind.resource, amount))
    added = (
        pl.DataFrame(
            rows, schema={SCHOOL_ID: pl.String(), "column": pl.String(), "add": pl.Float64()}, orient="row"
        )
        .group_by(SCHOOL_ID, "column")
        .agg(pl.col("add").max())
    )
    changes: dict[str, dict[str, float]] = {}
    for code, column, add in added.iter_rows():
        current = frame.filter(pl.col(SCHOOL_ID) == code)[column].fill_null(0.0).to_list()
        changes.setdefault(code, {})[column] = (current[0] if current else 0.0) + add
    return changes


def closed_gaps(result: BalanceResult) -> Evaluation | None:
    """The evaluation after every failing school's gaps are closed (None when nothing is missing)."""
    if result.gaps.height == 0:
        return None
    key = {i.name: i.key for i in INDICATORS}
    additions = result.gaps.select(
        SCHOOL_ID, STAGE, pl.col("指标").replace_strict(key).alias("key"), pl.col("缺口").alias("amount")
    )
    return what_if(result.frame, changes_for(result.frame, additions))


@dataclass(frozen=True)
class WhatIf:
    """A what-if request: resources added to one school stage and/or pupils moved between two schools."""

    school: str | None = None
    stage: str | None = None
    additions: Mapping[str, float] | None = None
    move: Move | None = None


class WhatIfError(ValueError):
    """A what-if the evaluation cannot run (message in Chinese)."""


def run_what_if(result: BalanceResult, request: WhatIf) -> Evaluation:
    frame = result.frame
    codes = set(frame[SCHOOL_ID].to_list())
    changes: dict[str, dict[str, float]] = {}
    if request.school and any(request.additions.values() if request.additions else ()):
        if request.school not in codes:
            raise WhatIfError("所选学校不在当前范围内")
        stage = request.stage or PRIMARY
        additions = pl.DataFrame(
            [(request.school, stage, k, float(v)) for k, v in (request.additions or {}).items() if v],
            schema={SCHOOL_ID: pl.String(), STAGE: pl.String(), "key": pl.String(), "amount": pl.Float64()},
            orient="row",
        )
        changes = changes_for(frame, additions, whole_school_stock=True)
    move = request.move
    if move is not None:
        if move.source not in codes or move.target not in codes:
            raise WhatIfError("调出或调入学校不在当前范围内")
        if move.source == move.target:
            raise WhatIfError("调出学校和调入学校不能相同")
        if move.pupils <= 0:
            raise WhatIfError("调整的学生人数应大于0")
        if move.stage not in (PRIMARY, JUNIOR):
            raise WhatIfError("请选择调整学生的学段（小学或初中）")
    if not changes and move is None:
        raise WhatIfError("请填写要增加的资源，或要调整的学生人数")
    try:
        return what_if(frame, changes, move=move)
    except ValueError as exc:
        raise WhatIfError(f"无法计算：{exc}") from exc


# ---------------------------------------------------------------- 普及普惠

PRESCHOOL_CODES = (
    "preschool_gross_rate",
    "public_kindergarten_share",
    "inclusive_kindergarten_coverage",
    "preschool_teacher_college_share",
    "first_class_kindergarten_share",
)
# checks the registry has no data for (left out of the evaluation; listed as 需人工填报)
PRESCHOOL_OPTIONS = PreschoolOptions(
    max_children_per_staff=None, class_standard_rate=None, certification_rate=None
)
PRESCHOOL_MANUAL = (
    ("在园幼儿与教职工比", "≤ 7（《幼儿园教职工配备标准（暂行）》，待核实）"),
    ("班额达标率", "≥ 85%"),
    ("园长、专任教师持证上岗率", "= 100%"),
    ("政府保障情况、幼儿园保教质量保障情况", "按办法逐项提供佐证材料"),
    ("社会认可度", "≥ 85%（问卷调查）"),
)


def preschool_units(user: Any, sel: Selection, year: int) -> pl.DataFrame:
    """One row per unit (the county first when the selection is a county, then its 镇/街道 with a
    kindergarten or population data): ``unit`` (name), ``unit_id`` and the ``core.preschool`` input counts,
    taken from the indicator engine's own formulas so the figures equal the plan monitoring's."""
    bundle = inputs.preschool_bundle(user, sel.unit, year)
    values = compute(bundle, PRESCHOOL_CODES).filter(pl.col("year") == year)
    wide = values.pivot(on="indicator", index="org_unit_id", values=["numerator", "denominator"])

    def col(kind: str, code: str) -> pl.Expr:
        name = f"{kind}_{code}"
        return pl.col(name) if name in wide.columns else pl.lit(None, dtype=pl.Float64)

    public = col("numerator", "public_kindergarten_share")
    units = wide.select(
        pl.col("org_unit_id").alias("unit_id"),
        col("denominator", "public_kindergarten_share").alias("enrolled"),
        col("denominator", "preschool_gross_rate").alias("population_3_5"),
        public.alias("public_enrolled"),
        (col("numerator", "inclusive_kindergarten_coverage") - public).alias("puhui_private_enrolled"),
        col("denominator", "preschool_teacher_college_share").alias("teachers"),
        col("numerator", "preschool_teacher_college_share").alias("college_teachers"),
        col("denominator", "first_class_kindergarten_share").alias("kindergartens"),
        col("numerator", "first_class_kindergarten_share").alias("provincial_class1_kindergartens"),
    )
    order = [sel.unit] if sel.unit.kind == OrgKind.COUNTY else []
    order += inputs.area_units(user, sel.unit)
    listing = pl.DataFrame(
        {
            "unit_id": [u.pk for u in order],
            "unit": [u.name for u in order],
            "kind": [str(u.kind) for u in order],
        },
        schema={"unit_id": pl.Int64(), "unit": pl.String(), "kind": pl.String()},
    )
    joined = listing.join(units, on="unit_id", how="left", maintain_order="left")
    keep = (
        (pl.col("kind") == OrgKind.COUNTY)
        | (pl.col("kindergartens").fill_null(0) > 0)
        | pl.col("population_3_5").is_not_null()
    )
    return joined.filter(keep)


def births_estimate(user: Any, units: pl.DataFrame, year: int) -> pl.DataFrame:
    """unit_id → births of the cohorts aged 3–5 in the 学年 (born year − 5 … year − 3) and the 毛入园率 they
    suggest — a reference where the statistics bureau gave no 3–5 岁 population (not evaluated)."""
    rows = (
        Births.objects.visible_to(user)
        .filter(org_unit_id__in=units["unit_id"].to_list(), year__gte=year - 5, year__lte=year - 3)
        .values_list("org_unit_id")
        .annotate(n=Sum("births"), years=Count("id"))
        .order_by()
    )
    births = rows_frame(list(rows), {"unit_id": pl.Int64(), "births": pl.Int64(), "years": pl.Int64()})
    return (
        births.filter((pl.col("years") == 3) & (pl.col("births") > 0))
        .join(units.select("unit_id", "enrolled"), on="unit_id")
        .with_columns((pl.col("enrolled") * 100 / pl.col("births")).round(1).alias("estimate"))
    )


def _with_estimates(checks: pl.DataFrame, estimates: pl.DataFrame, year: int) -> pl.DataFrame:
    if estimates.height == 0:
        return checks
    note = pl.format(
        f"；参考：{year - 5}—{year - 3}年出生 {{}} 人，按出生人口粗略估算约 {{}}%"
        "（幼儿可能跨镇街入园，不作评估）",
        pl.col("births"),
        pl.col("estimate"),
    )
    joined = checks.join(estimates.select("unit_id", "births", "estimate"), on="unit_id", how="left")
    gross = (pl.col("indicator") == "gross_enrolment_rate") & pl.col("value").is_null()
    return joined.with_columns(
        pl.when(gross & pl.col("estimate").is_not_null())
        .then(pl.concat_str(pl.col("reason"), note))
        .otherwise(pl.col("reason"))
        .alias("reason")
    ).drop("births", "estimate")


def preschool(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """Every 普及普惠 check per unit with the per-level verdicts; the units left out (no kindergarten and
    no population data). A unit without 3–5 岁 population has its 毛入园率 不可评估, with a births-based
    estimate in the reason for reference."""
    units = preschool_units(user, sel, year)
    checks = evaluate_preschool(units, by=("unit_id", "unit"), options=PRESCHOOL_OPTIONS)
    checks = _with_estimates(checks, births_estimate(user, units, year), year)
    verdicts = preschool_verdict(checks, by=("unit_id", "unit"))
    listed = set(units["unit_id"].to_list())
    skipped = [u.name for u in inputs.area_units(user, sel.unit) if u.pk not in listed]
    return {"units": units, "checks": checks, "verdicts": verdicts, "skipped": skipped}
