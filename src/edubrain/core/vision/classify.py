"""Classify vision screenings, vectorised over a whole frame, row for row (standards.md §5.3–5.5).

``classify_frame(frame)`` takes one row per pupil and screening. Every column is optional; a row needs
what its classification needs:

- ``age`` (years; or ``birth_date`` + ``screened_on`` dates, giving completed years);
- ``left_acuity``, ``right_acuity``: uncorrected distance acuity on the 5-point 五分记录 (convert decimal
  readings first with ``acuity.to_five_point``);
- ``left_sphere``, ``left_cylinder``, ``left_axis``, ``right_…``: non-cycloplegic autorefraction (D, °);
  a blank cylinder next to a sphere is read as 0.00;
- ``correction``: "" or null (none), ``"glasses"`` (框架眼镜) or ``"orthok"`` (角膜塑形镜);
- ``left_corrected``, ``right_corrected`` (5-point), ``axial_left``, ``axial_right`` (mm), all optional;
- ``batch``: optional; the cylinder sign convention is checked within each batch (one file), else
  across the whole frame.

It returns exactly ``OUTPUT_COLUMNS``:

- ``left_se``, ``right_se``: SE = sphere + cylinder / 2 (§5.3);
- ``left_myopia``, ``right_myopia``: 筛查性近视 per eye (WS/T 663-2020, §5.3): uncorrected acuity < 5.0
  (< 4.9 below age 6, ⚠ §5.3) and SE ≤ −0.50 D (the comparator is a setting: "<" follows the texts that
  use < −0.50). **Orthokeratology wearers count as myopic in both eyes** whatever their acuity and
  refraction (the lens reshapes the cornea, so both read near normal; §5.6 notes the platform [C7] that
  needs only corrected acuity for them — so do we, see ``orthok_needs_corrected``);
- ``myopia``: either eye; ``degree``: 无/低度/中度/高度 from the most myopic SE among the eyes that screen
  as myopic (§5.4: 低度 −3.00 ≤ SE ≤ −0.50, 中度 −6.00 ≤ SE < −3.00, 高度 SE < −6.00; an orthokeratology eye
  whose SE reads above −0.50 is 低度);
- ``pre_myopia``: not myopic, and in either eye 近视前期 (SE above the myopia threshold and ≤ +0.75 D, IMI,
  §5.4) or 远视储备不足 (acuity normal and SE below the age's reference lower bound, §5.4 table);
- ``warning_level`` 0–3 and ``warning_label`` by the pupil-level scheme (a) of §5.5: every rule per eye,
  the pupil's level the most severe; the scheme's "0 级" rules give level 0 with the label 0级预警;
- ``status`` ("classified"/"invalid") and ``remark``: the Chinese reasons a row cannot be classified
  (acuity off the chart, impossible sphere/cylinder, axis outside 0–180, a missing eye, cylinder signs
  mixed within a file, an unknown correction). Invalid rows have null results — nothing is classified
  silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.core.vision.acuity import FIVE_POINT_MAX, FIVE_POINT_MIN

__all__ = [
    "CLASSIFIED",
    "CORRECTIONS",
    "DEGREES",
    "INPUT_COLUMNS",
    "INVALID",
    "OUTPUT_COLUMNS",
    "VisionOptions",
    "classify_frame",
    "warning_label",
]

CLASSIFIED, INVALID = "classified", "invalid"
GLASSES, ORTHOK = "glasses", "orthok"
CORRECTIONS = ("", GLASSES, ORTHOK)
DEGREES = ("无", "低度", "中度", "高度")
SIDES = (("left", "左眼"), ("right", "右眼"))
NUMERIC_INPUTS = (
    "age",
    "left_acuity",
    "right_acuity",
    "left_sphere",
    "left_cylinder",
    "left_axis",
    "right_sphere",
    "right_cylinder",
    "right_axis",
    "left_corrected",
    "right_corrected",
    "axial_left",
    "axial_right",
)
INPUT_COLUMNS = (*NUMERIC_INPUTS, "birth_date", "screened_on", "correction", "batch")
OUTPUT_COLUMNS = (
    "left_se",
    "right_se",
    "left_myopia",
    "right_myopia",
    "myopia",
    "degree",
    "pre_myopia",
    "warning_level",
    "warning_label",
    "status",
    "remark",
)

# (minimum age, cut for level 0, 1, 2, 3): a level applies when acuity < its cut; None: no such level.
AcuityRow = tuple[float, tuple[float | None, float | None, float | None, float | None]]
# (minimum age, SE above which level 1, 2, 3 applies)
HyperopiaRow = tuple[float, tuple[float, float, float]]


@dataclass(frozen=True)
class VisionOptions:
    """Every threshold of the classification, each a setting; the defaults follow standards.md.

    筛查性近视 (§5.3): ``myopia_comparator`` "<=" (SE ≤ −0.50, the 适宜技术指南 wording, default) or "<"
    (the texts that use < −0.50); ``myopia_se`` −0.50; ``acuity_cut`` 5.0; below ``young_age`` 6 the cut is
    ``young_acuity_cut`` 4.9 (⚠ [C7]). Degree bands (§5.4): ``moderate_se`` −3.00, ``high_se`` −6.00 (the low
    band starts at ``myopia_se``). Pre-myopia (§5.4): ``pre_myopia_se`` +0.75; ``hyperopic_reserve``: rows of
    (age from, age to exclusive, SE below which the reserve is insufficient) — 4–5: +2.0, 6: +1.5, 7: +1.3
    (汪芳润 1996 via Dalian CDC); ages outside the table have no reserve check.

    Pupil-level warning, scheme (a) of §5.5 exactly as coded by [C7]: ``warning_acuity`` rows (age ≥ 5,
    age 4, below 4); ``warning_myopia_se`` level 1/2/3 when SE < −0.50/−3.00/−6.00, level 0 when
    −0.50 ≤ SE ≤ −0.25 (``warning_myopia_zero``); ``warning_astigmatism`` |C| ≥ 0.25 → 0, ≥ 0.50 → 1,
    > 2.00 → 2, > 4.00 → 3; ``warning_hyperopia`` rows by age (≥ 8, 6–7, 4–5, below 4) of SE above which
    level 1/2/3 applies; SE < ``warning_reserve_zero`` 0.00 → level 0 (远视储备不足, crude). Unknown age
    uses the first (school-age) row of each table. ``orthok_warning``: the least level of an
    orthokeratology wearer (1; our choice ⚠, as every other myopic pupil aged ≥ 5 is at least level 1).

    Plausibility (our choice ⚠): 5-point acuity on the chart's 0.1 lines ``acuity_min`` 3.0–``acuity_max``
    5.3 (§5.1); |sphere| ≤ 25 D, |cylinder| ≤ 10 D (the autorefractor's range); axis 0–180; axial length
    15–35 mm; age 0–30. ``check_cylinder_signs``: flag rows with a cylinder when one file (``batch``) mixes
    positive and negative cylinders. ``orthok_needs_corrected``: an orthokeratology eye needs its corrected
    acuity (§5.6 [C7]); a non-wearer's eye needs uncorrected acuity and sphere (§5.6)."""

    myopia_comparator: str = "<="
    myopia_se: float = -0.50
    acuity_cut: float = 5.0
    young_age: float = 6.0
    young_acuity_cut: float = 4.9
    moderate_se: float = -3.00
    high_se: float = -6.00
    pre_myopia_se: float = 0.75
    hyperopic_reserve: tuple[tuple[float, float, float], ...] = ((4, 6, 2.0), (6, 7, 1.5), (7, 8, 1.3))
    warning_acuity: tuple[AcuityRow, ...] = (
        (5, (None, 5.0, 4.9, 4.8)),
        (4, (5.0, 4.9, 4.8, 4.7)),
        (0, (4.9, 4.8, 4.7, 4.6)),
    )
    warning_myopia_se: tuple[float, float, float] = (-0.50, -3.00, -6.00)
    warning_myopia_zero: tuple[float, float] = (-0.50, -0.25)
    warning_astigmatism: tuple[float, float, float, float] = (0.25, 0.50, 2.00, 4.00)
    warning_hyperopia: tuple[HyperopiaRow, ...] = (
        (8, (0.50, 3.00, 6.00)),
        (6, (1.50, 4.50, 7.50)),
        (4, (2.00, 5.00, 8.00)),
        (0, (4.00, 6.00, 9.00)),
    )
    warning_reserve_zero: float = 0.0
    orthok_warning: int = 1
    acuity_min: float = FIVE_POINT_MIN
    acuity_max: float = FIVE_POINT_MAX
    sphere_limit: float = 25.0
    cylinder_limit: float = 10.0
    axial_min: float = 15.0
    axial_max: float = 35.0
    age_max: float = 30.0
    check_cylinder_signs: bool = True
    orthok_needs_corrected: bool = True

    def __post_init__(self) -> None:
        if self.myopia_comparator not in ("<=", "<"):
            raise ValueError(f"myopia_comparator must be '<=' or '<', not {self.myopia_comparator!r}")
        if not self.myopia_se > self.moderate_se > self.high_se:
            raise ValueError("degree bands must satisfy myopia_se > moderate_se > high_se")
        for rows in (self.warning_acuity, self.warning_hyperopia):
            ages = [r[0] for r in rows]
            if ages != sorted(ages, reverse=True):
                raise ValueError("warning rows must be ordered by minimum age, oldest first")


def warning_label(level: pl.Expr) -> pl.Expr:
    """Scheme level (−1 none, 0–3) → Chinese label."""
    return pl.when(level < 0).then(pl.lit("无预警")).otherwise(pl.format("{}级预警", level.cast(pl.String)))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _age(frame: pl.DataFrame) -> pl.Expr:
    """Age in years: ``age`` where given, else completed years from ``birth_date`` to ``screened_on``."""
    given = pl.col("age").cast(pl.Float64, strict=False) if "age" in frame.columns else None
    if {"birth_date", "screened_on"} <= set(frame.columns):
        born, seen = (_date(frame, c) for c in ("birth_date", "screened_on"))
        before_birthday = (seen.dt.month() * 100 + seen.dt.day()) < (born.dt.month() * 100 + born.dt.day())
        years = (
            seen.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)
        ).cast(pl.Float64)
        return years if given is None else given.fill_null(years)
    return given if given is not None else pl.lit(None, pl.Float64)


def _date(frame: pl.DataFrame, column: str) -> pl.Expr:
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column)
    if dtype == pl.Datetime:
        return pl.col(column).dt.date()
    return pl.col(column).cast(pl.String).str.to_date(strict=False)


def _by_age(age: pl.Expr, rows: Sequence[tuple[float, float | None]]) -> pl.Expr:
    """The value of the first row (oldest first) whose minimum age the age reaches; the last row covers
    every younger age; unknown age: the first row."""
    out = pl.lit(rows[-1][1], pl.Float64)
    for min_age, value in reversed(rows[:-1]):
        out = pl.when(age >= min_age).then(pl.lit(value, pl.Float64)).otherwise(out)
    return pl.when(age.is_null()).then(pl.lit(rows[0][1], pl.Float64)).otherwise(out)


def _reserve_floor(age: pl.Expr, table: Sequence[tuple[float, float, float]]) -> pl.Expr:
    whole = age.floor()
    out: pl.Expr = pl.lit(None, pl.Float64)
    for low, high, floor in reversed(table):
        out = pl.when((whole >= low) & (whole < high)).then(pl.lit(floor, pl.Float64)).otherwise(out)
    return out


def _level(conditions: Sequence[tuple[int, pl.Expr]]) -> pl.Expr:
    """The highest level whose condition holds, else −1 (conditions listed highest first)."""
    out: pl.Expr = pl.lit(-1, pl.Int8)
    for level, cond in reversed(conditions):
        out = pl.when(cond.fill_null(False)).then(pl.lit(level, pl.Int8)).otherwise(out)
    return out


def _on_chart(v: pl.Expr, o: VisionOptions) -> pl.Expr:
    tenths = v * 10
    return (
        v.is_finite()
        & (v >= o.acuity_min - 1e-9)
        & (v <= o.acuity_max + 1e-9)
        & ((tenths - tenths.round(0)).abs() < 1e-6)
    )


def classify_frame(frame: pl.DataFrame, options: VisionOptions | None = None) -> pl.DataFrame:
    """Classify every row of ``frame``; see the module docstring for the columns in and out."""
    o = options or VisionOptions()
    missing = [pl.lit(None, pl.Float64).alias(c) for c in NUMERIC_INPUTS if c not in frame.columns]
    df = frame.with_columns(
        *missing,
        *(pl.col(c).cast(pl.Float64, strict=False) for c in NUMERIC_INPUTS if c in frame.columns),
    ).with_columns(_age(frame).alias("__age"))
    if "correction" in frame.columns:
        corr = pl.col("correction").cast(pl.String).str.strip_chars().fill_null("")
    else:
        corr = pl.lit("", pl.String)
    df = df.with_columns(corr.alias("__corr"))
    batch = [pl.col("batch")] if "batch" in frame.columns else []
    age = pl.col("__age")
    orthok = pl.col("__corr") == ORTHOK
    cut = pl.when(age < o.young_age).then(pl.lit(o.young_acuity_cut)).otherwise(pl.lit(o.acuity_cut))

    # cylinder sign convention, per batch (file)
    if o.check_cylinder_signs:
        cyl = pl.concat_list(pl.col("left_cylinder"), pl.col("right_cylinder")).list
        pos = (pl.col("left_cylinder") > 0) | (pl.col("right_cylinder") > 0)
        neg = (pl.col("left_cylinder") < 0) | (pl.col("right_cylinder") < 0)
        both = pos.fill_null(False).any() & neg.fill_null(False).any()
        mixed = (both.over(batch) if batch else both) & (
            cyl.eval(pl.element() != 0).list.any().fill_null(False)
        )
    else:
        mixed = pl.lit(False)

    reasons: list[pl.Expr] = []
    eye: dict[str, dict[str, pl.Expr]] = {}
    for side, name in SIDES:
        a, s = pl.col(f"{side}_acuity"), pl.col(f"{side}_sphere")
        c_raw, axis = pl.col(f"{side}_cylinder"), pl.col(f"{side}_axis")
        corrected, axial = pl.col(f"{side}_corrected"), pl.col(f"axial_{side}")
        c = pl.when(s.is_not_null()).then(c_raw.fill_null(0.0)).otherwise(c_raw)
        se = (s + c / 2).round(6)
        chart = f"（五分记录{o.acuity_min:.1f}—{o.acuity_max:.1f}，0.1一档）"
        reasons += [
            pl.when(a.is_not_null() & ~_on_chart(a, o)).then(
                pl.format("{}裸眼视力{}不在视力表范围{}", pl.lit(name), a.cast(pl.String), pl.lit(chart))
            ),
            pl.when(corrected.is_not_null() & ~_on_chart(corrected, o)).then(
                pl.format(
                    "{}矫正视力{}不在视力表范围{}", pl.lit(name), corrected.cast(pl.String), pl.lit(chart)
                )
            ),
            pl.when(s.is_not_null() & ~(s.abs() <= o.sphere_limit)).then(
                pl.format(
                    "{}球镜{}D超出可能范围（±{}D）",
                    pl.lit(name),
                    s.cast(pl.String),
                    pl.lit(_fmt(o.sphere_limit)),
                )
            ),
            pl.when(c_raw.is_not_null() & ~(c_raw.abs() <= o.cylinder_limit)).then(
                pl.format(
                    "{}柱镜{}D超出可能范围（±{}D）",
                    pl.lit(name),
                    c_raw.cast(pl.String),
                    pl.lit(_fmt(o.cylinder_limit)),
                )
            ),
            pl.when(axis.is_not_null() & ~((axis >= 0) & (axis <= 180))).then(
                pl.format("{}轴位{}不在0—180度", pl.lit(name), axis.cast(pl.String))
            ),
            pl.when(axial.is_not_null() & ~((axial >= o.axial_min) & (axial <= o.axial_max))).then(
                pl.format(
                    "{}眼轴长度{}mm不在合理范围（{}—{}mm）",
                    pl.lit(name),
                    axial.cast(pl.String),
                    pl.lit(_fmt(o.axial_min)),
                    pl.lit(_fmt(o.axial_max)),
                )
            ),
            pl.when(c_raw.is_not_null() & s.is_null()).then(pl.lit(f"{name}有柱镜而无球镜")),
        ]
        nothing = a.is_null() & s.is_null() & corrected.is_null()
        if o.orthok_needs_corrected:
            orthok_missing = orthok & corrected.is_null() & ~nothing
            reasons.append(
                pl.when(orthok_missing).then(pl.lit(f"缺少{name}矫正视力（角膜塑形镜佩戴者按矫正视力筛查）"))
            )
        reasons += [
            pl.when(nothing & (~orthok | pl.lit(o.orthok_needs_corrected))).then(pl.lit(f"缺少{name}数据")),
            pl.when(~orthok & ~nothing & a.is_null()).then(pl.lit(f"缺少{name}裸眼视力")),
            pl.when(~orthok & ~nothing & s.is_null()).then(pl.lit(f"缺少{name}球镜（电脑验光）")),
        ]
        se_myopic = se <= o.myopia_se if o.myopia_comparator == "<=" else se < o.myopia_se
        myopic = orthok | ((a < cut) & se_myopic).fill_null(False)
        pre = (~se_myopic & (se <= o.pre_myopia_se)).fill_null(False)
        reserve = ((a >= cut) & (se < _reserve_floor(age, o.hyperopic_reserve))).fill_null(False)
        hyper_cuts = [_by_age(age, [(r[0], r[1][k]) for r in o.warning_hyperopia]) for k in range(3)]
        acuity_cuts = [_by_age(age, [(r[0], r[1][k]) for r in o.warning_acuity]) for k in range(4)]
        m1, m2, m3 = o.warning_myopia_se
        z_low, z_high = o.warning_myopia_zero
        t0, t1, t2, t3 = o.warning_astigmatism
        abs_c = c.abs()
        rules = [
            _level([(k, a < acuity_cuts[k]) for k in (3, 2, 1, 0)]),
            _level([(3, se < m3), (2, se < m2), (1, se < m1), (0, (se >= z_low) & (se <= z_high))]),
            _level([(3, abs_c > t3), (2, abs_c > t2), (1, abs_c >= t1), (0, abs_c >= t0)]),
            _level([(3, se > hyper_cuts[2]), (2, se > hyper_cuts[1]), (1, se > hyper_cuts[0])]),
            _level([(0, se < o.warning_reserve_zero)]),
        ]
        eye[side] = {
            "se": se,
            "myopic": myopic,
            "pre": pre | reserve,
            "level": pl.max_horizontal(*rules),
            "degree_se": pl.when(myopic).then(se),
        }
    reasons += [
        pl.when(mixed).then(
            pl.lit("同一文件中柱镜正负号混用（正柱镜与负柱镜记法并存），请统一后重新筛查分类")
        ),
        pl.when(~pl.col("__corr").is_in(CORRECTIONS)).then(
            pl.format("戴镜类型“{}”无法识别（应为无、框架眼镜或角膜塑形镜）", pl.col("__corr"))
        ),
        pl.when(age.is_not_null() & ~((age >= 0) & (age <= o.age_max))).then(
            pl.format("年龄{}岁不合理", age.cast(pl.String))
        ),
    ]
    remark = pl.concat_list(reasons).list.drop_nulls().list.join("；")
    left, right = eye["left"], eye["right"]
    myopia = left["myopic"] | right["myopic"]
    worst = pl.min_horizontal(left["degree_se"], right["degree_se"])
    degree = (
        pl.when(~myopia)
        .then(pl.lit(DEGREES[0]))
        .when(worst.is_null() | (worst >= o.moderate_se))
        .then(pl.lit(DEGREES[1]))
        .when(worst >= o.high_se)
        .then(pl.lit(DEGREES[2]))
        .otherwise(pl.lit(DEGREES[3]))
    )
    level = pl.max_horizontal(
        left["level"], right["level"], pl.when(orthok).then(pl.lit(o.orthok_warning, pl.Int8))
    )
    out = df.select(
        left["se"].alias("left_se"),
        right["se"].alias("right_se"),
        left["myopic"].alias("left_myopia"),
        right["myopic"].alias("right_myopia"),
        myopia.alias("myopia"),
        degree.alias("degree"),
        (~myopia & (left["pre"] | right["pre"])).alias("pre_myopia"),
        pl.max_horizontal(level, pl.lit(0, pl.Int8)).cast(pl.Int8).alias("warning_level"),
        warning_label(level).alias("warning_label"),
        remark.alias("remark"),
    )
    results = [c for c in OUTPUT_COLUMNS if c not in ("status", "remark")]
    return out.select(
        *(pl.when(pl.col("remark") == "").then(pl.col(c)).alias(c) for c in results),
        pl.when(pl.col("remark") == "").then(pl.lit(CLASSIFIED)).otherwise(pl.lit(INVALID)).alias("status"),
        pl.when(pl.col("remark") != "").then(pl.col("remark")).alias("remark"),
    )
