"""学位预警 (school-place early warning): a cohort-ratio forecast of 小学/初中 entrants and enrolment per zone
against planned places (standards.md §7).

Method (§7, our formulation ⚠; thresholds ✅ Hangzhou):

    E1(zone, y) = births(zone, y − 6) × r1(zone)        r1 = 一年级新生(t) / births(t − 6)
    E7(zone, y) = G6(zone, y − 1) × r7(zone)            r7 = 初一(t) / 六年级(t − 1)  (小学毕业升入初一)
    G(g+1, y)   = G(g, y − 1) × s_g(zone)               s_g = G(g+1, t) / G(g, t − 1)  (migration included)

Each ratio is the mean of the yearly ratios of the last ``average_years`` observed years (default 3) of the
zone. A zone (学区 or 镇/街道, any id) is forecast for the ``years`` after the origin year (default 6).
Warning levels compare forecast entrants with the planned entry places (常态招生计划数): 黄色 from 90 %
(inclusive) up to 100 %, 红色 from 100 % (inclusive), 绿色 below 90 % — the Hangzhou bands "90 %–100 %" and
"≥ 100 %", where 100 % belongs to red; the cut points are options.

``forecast_places(data)`` returns one row per zone, forecast year and stage;
``backtest(data, origin, target)`` forecasts a known year from earlier data and reports the errors and the
MAPE.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import polars as pl

from edubrain.core.errors import CoreError
from edubrain.core.places.class_size import grade_code_expr
from edubrain.core.stages import JUNIOR, PRIMARY, STAGE_LABELS, school_system_grades

__all__ = [
    "OUTPUT_COLUMNS",
    "WARNING_LEVELS",
    "ForecastOptions",
    "PlaceData",
    "Scenario",
    "backtest",
    "forecast_places",
    "method_text",
]

WARNING_LEVELS = ("绿色", "黄色", "红色")
UNASSESSED = "不可评估"

OUTPUT_COLUMNS = (
    "zone",
    "year",
    "stage",
    "stage_label",
    "births",
    "births_source",
    "intake_rate",
    "entrants",
    "enrolment",
    "entry_places",
    "total_places",
    "entry_ratio",
    "total_ratio",
    "warning",
    "seat_warning",
    "warning_reason",
    "seat_warning_reason",
    "scenario",
    "method",
)


@dataclass(frozen=True)
class PlaceData:
    """The inputs of the forecast, each a polars frame.

    - ``births``: ``zone``, ``year``, ``births`` (出生人口 of the zone in that calendar year).
    - ``enrolment``: ``zone``, ``year``, ``grade_code`` ("11"–"16", "21"–"23"; integers accepted), ``pupils``
      (在校生 of the grade, summed when a zone has several rows).
    - ``capacity`` (optional): ``zone``, ``stage`` ("primary"/"junior"), ``entry_places``
      (一年级/初一常态招生计划数), ``total_places`` (学段总学位数), and optionally ``year`` (without it a
      row holds for every year).
    - ``entrants`` (optional): ``zone``, ``year``, ``entrants`` — observed 一年级新生; without it the grade-1
      enrolment stands for them.
    - ``junior_entry_ratios`` (optional): ``zone``, ``ratio`` — a supplied 小学毕业生升入初一 ratio that
      replaces the estimated 6→7 ratio of the zone.
    - ``birth_projection`` (optional): ``zone``, ``year``, ``births`` — used for years without known births
      when ``ForecastOptions.unknown_births == "projection"``.
    """

    births: pl.DataFrame
    enrolment: pl.DataFrame
    capacity: pl.DataFrame | None = None
    entrants: pl.DataFrame | None = None
    junior_entry_ratios: pl.DataFrame | None = None
    birth_projection: pl.DataFrame | None = None


@dataclass(frozen=True)
class ForecastOptions:
    """``years``: forecast horizon after the origin year; ``average_years``: the k last observed years whose
    ratios are averaged; ``entry_age``: births of ``year − entry_age`` enter grade 1; ``system``: 学制
    "6-3" or "5-4"; ``unknown_births``: for a year without known births, ``"carry_last"`` uses the zone's
    last known births before it, ``"projection"`` uses ``PlaceData.birth_projection`` (null when that has
    none);
    ``yellow_from`` / ``red_from``: the percent of planned places from which (inclusive) 黄色 / 红色 apply."""

    years: int = 6
    average_years: int = 3
    entry_age: int = 6
    system: str = "6-3"
    unknown_births: Literal["carry_last", "projection"] = "carry_last"
    yellow_from: float = 90.0
    red_from: float = 100.0


@dataclass(frozen=True)
class Scenario:
    """A what-if on top of the observed ratios, for every zone and forecast year: ``extra_entrants`` more
    一年级新生 (net in-migration, pupils), ``extra_junior_entrants`` more 初一新生, ``entry_rate_change_pct``
    percent added to the entry ratio r1 (+10 → r1 × 1.10). Extra pupils move up the grades like the others."""

    name: str = "基准"
    extra_entrants: float = 0.0
    extra_junior_entrants: float = 0.0
    entry_rate_change_pct: float = 0.0


def _require(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CoreError("places.missing_columns", f"{name}缺少列：{'、'.join(missing)}")


def _fmt(x: float) -> str:
    return f"{x:g}"


def method_text(options: ForecastOptions | None = None, scenario: Scenario | None = None) -> str:
    """The method in Chinese, for the page."""
    o = options or ForecastOptions()
    s = scenario or Scenario()
    grades = school_system_grades(o.system)
    last_primary = len(grades[PRIMARY])
    births = (
        "出生数未知的年份沿用该区域最近一年已知出生数"
        if o.unknown_births == "carry_last"
        else "出生数未知的年份采用出生人口预测数"
    )
    text = (
        f"队列比率法：一年级新生 = {o.entry_age}年前出生人口 × 入学比率"
        f"（一年级新生 ÷ {o.entry_age}年前出生人口，取最近{o.average_years}个观测年的平均）；"
        f"初一新生 = 上年{last_primary}年级在校生 × 小学毕业升学比率（近{o.average_years}年平均）；"
        f"其余年级 = 上年低一年级在校生 × 升级比率（近{o.average_years}年平均，已含转学和迁移）；{births}。"
        f"学位预警：预测新生数达到常态招生计划数的{_fmt(o.yellow_from)}%（含）至{_fmt(o.red_from)}%为黄色预警，"
        f"{_fmt(o.red_from)}%（含）以上为红色预警，以下为绿色（参照杭州户籍生入学预警规则）；"
        f"学位总量按学段在校生预测数与总学位数之比同样分级。"
    )
    extras = []
    if s.extra_entrants:
        extras.append(f"每年每区域一年级新增迁入{_fmt(s.extra_entrants)}人")
    if s.extra_junior_entrants:
        extras.append(f"每年每区域初一新增迁入{_fmt(s.extra_junior_entrants)}人")
    if s.entry_rate_change_pct:
        change = "提高" if s.entry_rate_change_pct > 0 else "降低"
        extras.append(f"入学比率{change}{_fmt(abs(s.entry_rate_change_pct))}%")
    if extras:
        text += f"情景“{s.name}”：{'，'.join(extras)}。"
    return text


def _grade_table(system: str) -> pl.DataFrame:
    grades = school_system_grades(system)
    codes = [*grades[PRIMARY], *grades[JUNIOR]]
    stages = [PRIMARY] * len(grades[PRIMARY]) + [JUNIOR] * len(grades[JUNIOR])
    return pl.DataFrame(
        {"grade_code": codes, "idx": list(range(len(codes))), "stage": stages},
        schema={"grade_code": pl.String, "idx": pl.Int64, "stage": pl.String},
    )


def _observed(data: PlaceData, grade_table: pl.DataFrame) -> pl.DataFrame:
    """zone, year, idx, pupils (summed)."""
    _require(data.enrolment, ("zone", "year", "grade_code", "pupils"), "在校生数据")
    return (
        data.enrolment.with_columns(grade_code_expr(), pl.col("year").cast(pl.Int64))
        .join(grade_table.select("grade_code", "idx"), on="grade_code", how="inner")
        .group_by("zone", "year", "idx")
        .agg(
            pl.when(pl.col("pupils").null_count() == 0)
            .then(pl.col("pupils").sum())
            .otherwise(None)
            .cast(pl.Float64)
            .alias("pupils")
        )
    )


def _entrants(data: PlaceData, observed: pl.DataFrame) -> pl.DataFrame:
    if data.entrants is None:
        return observed.filter(pl.col("idx") == 0).select("zone", "year", pl.col("pupils").alias("entrants"))
    _require(data.entrants, ("zone", "year", "entrants"), "一年级新生数据")
    return data.entrants.select("zone", pl.col("year").cast(pl.Int64), pl.col("entrants").cast(pl.Float64))


def _births(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    _require(frame, ("zone", "year", "births"), name)
    return frame.select("zone", pl.col("year").cast(pl.Int64), pl.col("births").cast(pl.Float64)).filter(
        pl.col("births").is_not_null()
    )


def _mean_last(ratios: pl.DataFrame, keys: list[str], k: int) -> pl.DataFrame:
    """Mean of the ``ratio`` of the last k years per key (rows with a null ratio are not observations)."""
    return (
        ratios.filter(pl.col("ratio").is_not_null())
        .sort("year")
        .group_by(keys)
        .agg(pl.col("ratio").tail(k).mean().alias("ratio"))
    )


def _ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num / den).otherwise(None)


def _zones(*frames: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([f.select("zone") for f in frames], how="vertical").unique().sort("zone")


def _forecast_births(
    data: PlaceData, births: pl.DataFrame, zones: pl.DataFrame, years: list[int], o: ForecastOptions
) -> pl.DataFrame:
    """zone, year (entry year), births (of year − entry_age) and births_source."""
    grid = zones.join(pl.DataFrame({"year": years}, schema={"year": pl.Int64}), how="cross").with_columns(
        (pl.col("year") - o.entry_age).alias("birth_year")
    )
    known = grid.join(births.rename({"year": "birth_year"}), on=["zone", "birth_year"], how="left")
    if o.unknown_births == "projection":
        projection = (
            _births(data.birth_projection, "出生人口预测")
            if data.birth_projection is not None
            else births.clear()
        )
        fallback = known.join(
            projection.rename({"year": "birth_year", "births": "fallback"}),
            on=["zone", "birth_year"],
            how="left",
        )
        label = "预测"
    else:
        fallback = known.sort("birth_year").join_asof(
            births.sort("year").rename({"year": "known_year", "births": "fallback"}),
            left_on="birth_year",
            right_on="known_year",
            by="zone",
            strategy="backward",
            check_sortedness=False,
        )
        label = "沿用末年"
    return fallback.select(
        "zone",
        "year",
        pl.coalesce("births", "fallback").alias("births"),
        pl.when(pl.col("births").is_not_null())
        .then(pl.lit("已知"))
        .when(pl.col("fallback").is_not_null())
        .then(pl.lit(label))
        .otherwise(pl.lit("缺失"))
        .alias("births_source"),
    )


def _rates(
    data: PlaceData, observed: pl.DataFrame, entrants: pl.DataFrame, births: pl.DataFrame, o: ForecastOptions
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(r1 per zone, progression ratios per zone and from-grade idx)."""
    entry = entrants.join(
        births.with_columns(pl.col("year") + o.entry_age), on=["zone", "year"], how="inner"
    ).select("zone", "year", _ratio(pl.col("entrants"), pl.col("births")).alias("ratio"))
    r1 = _mean_last(entry, ["zone"], o.average_years)
    previous = observed.with_columns(pl.col("year") + 1, pl.col("idx") + 1)
    steps = observed.join(previous, on=["zone", "year", "idx"], how="inner", suffix="_before").select(
        "zone",
        "year",
        (pl.col("idx") - 1).alias("idx"),
        _ratio(pl.col("pupils"), pl.col("pupils_before")).alias("ratio"),
    )
    progression = _mean_last(steps, ["zone", "idx"], o.average_years)
    if data.junior_entry_ratios is not None:
        _require(data.junior_entry_ratios, ("zone", "ratio"), "初一升学比率")
        last_primary = len(school_system_grades(o.system)[PRIMARY]) - 1
        supplied = data.junior_entry_ratios.select(
            "zone", pl.lit(last_primary, pl.Int64).alias("idx"), pl.col("ratio").cast(pl.Float64)
        )
        progression = pl.concat(
            [progression.join(supplied, on=["zone", "idx"], how="anti"), supplied], how="vertical"
        )
    return r1, progression


def forecast_places(
    data: PlaceData,
    options: ForecastOptions | None = None,
    scenario: Scenario | None = None,
    *,
    origin_year: int | None = None,
) -> pl.DataFrame:
    """Forecast 小学 and 初中 places per zone for the ``options.years`` years after the origin year (default:
    the last year of ``data.enrolment``; only enrolment and entrants up to it are used).

    Output, one row per zone, forecast year and stage (columns ``OUTPUT_COLUMNS``): ``births`` and
    ``births_source`` (已知/沿用末年/预测/缺失; primary rows only), ``intake_rate`` (r1 after the scenario for
    primary, r7 for junior), ``entrants`` (forecast 一年级/初一新生), ``enrolment`` (forecast 在校生 of the
    stage), ``entry_places``, ``total_places``, ``entry_ratio`` and ``total_ratio`` (percent of places),
    ``warning`` (from ``entry_ratio``) and ``seat_warning`` (from ``total_ratio``): 绿色/黄色/红色, or
    不可评估 with ``warning_reason`` / ``seat_warning_reason``; ``scenario`` (its name) and ``method``
    (``method_text``). Forecasts are not rounded. A zone without a ratio or births gets null forecasts,
    never 0.
    """
    o = options or ForecastOptions()
    s = scenario or Scenario()
    if o.years < 1 or o.average_years < 1:
        raise CoreError("places.bad_options", "预测年数和平均年数必须至少为1")
    grade_table = _grade_table(o.system)
    last_idx = grade_table.height - 1
    junior_idx = len(school_system_grades(o.system)[PRIMARY])
    observed = _observed(data, grade_table)
    if origin_year is None:
        if observed.is_empty():
            raise CoreError("places.no_enrolment", "没有在校生数据，无法预测学位")
        origin_year = int(observed["year"].max())  # type: ignore[arg-type]
    observed = observed.filter(pl.col("year") <= origin_year)
    entrants = _entrants(data, observed).filter(pl.col("year") <= origin_year)
    births = _births(data.births, "出生人口数据")
    zones = _zones(observed, births, entrants)
    years = list(range(origin_year + 1, origin_year + o.years + 1))

    r1, progression = _rates(data, observed, entrants, births, o)
    r1 = zones.join(r1, on="zone", how="left").with_columns(
        pl.col("ratio") * (1 + s.entry_rate_change_pct / 100)
    )
    intake = _forecast_births(data, births, zones, years, o).join(r1, on="zone", how="left")
    intake = intake.with_columns((pl.col("births") * pl.col("ratio") + s.extra_entrants).alias("pupils"))

    grid = zones.join(grade_table.select("idx"), how="cross")
    current = grid.join(
        observed.filter(pl.col("year") == origin_year), on=["zone", "idx"], how="left"
    ).select("zone", "idx", "pupils")
    extra_junior = pl.when(pl.col("idx") == junior_idx).then(pl.lit(s.extra_junior_entrants)).otherwise(0.0)
    frames = []
    for year in years:  # the years are sequential; each step is vectorised over zones and grades
        moved = (
            current.filter(pl.col("idx") < last_idx)
            .join(progression, on=["zone", "idx"], how="left")
            .select("zone", (pl.col("idx") + 1).alias("idx"), pl.col("pupils") * pl.col("ratio"))
            .with_columns(pl.col("pupils") + extra_junior)
        )
        entering = intake.filter(pl.col("year") == year).select(
            "zone", pl.lit(0, pl.Int64).alias("idx"), "pupils"
        )
        current = pl.concat([entering, moved], how="vertical")
        frames.append(current.with_columns(pl.lit(year, pl.Int64).alias("year")))
    rolled = pl.concat(frames, how="vertical").join(grade_table.select("idx", "stage"), on="idx")

    entry_idx = pl.when(pl.col("stage") == PRIMARY).then(0).otherwise(junior_idx)
    per_stage = rolled.group_by("zone", "year", "stage").agg(
        pl.col("pupils").filter(pl.col("idx") == entry_idx).first().alias("entrants"),
        pl.when(pl.col("pupils").null_count() == 0).then(pl.col("pupils").sum()).alias("enrolment"),
    )
    rates = pl.concat(
        [
            r1.select("zone", pl.lit(PRIMARY).alias("stage"), pl.col("ratio").alias("intake_rate")),
            zones.join(progression.filter(pl.col("idx") == junior_idx - 1), on="zone", how="left").select(
                "zone", pl.lit(JUNIOR).alias("stage"), pl.col("ratio").alias("intake_rate")
            ),
        ],
        how="vertical",
    )
    result = (
        per_stage.join(rates, on=["zone", "stage"], how="left")
        .join(
            intake.select("zone", "year", "births", "births_source", pl.lit(PRIMARY).alias("stage")),
            on=["zone", "year", "stage"],
            how="left",
        )
        .pipe(_with_capacity, data.capacity)
        .pipe(_with_warnings, o)
        .with_columns(
            pl.col("stage").replace_strict(STAGE_LABELS, return_dtype=pl.String).alias("stage_label"),
            pl.lit(s.name).alias("scenario"),
            pl.lit(method_text(o, s)).alias("method"),
        )
        .sort("zone", "year", pl.col("stage").replace_strict({PRIMARY: 0, JUNIOR: 1}, return_dtype=pl.Int8))
    )
    return result.select(OUTPUT_COLUMNS)


def _with_capacity(frame: pl.DataFrame, capacity: pl.DataFrame | None) -> pl.DataFrame:
    if capacity is None:
        return frame.with_columns(
            pl.lit(None, pl.Float64).alias("entry_places"), pl.lit(None, pl.Float64).alias("total_places")
        )
    _require(capacity, ("zone", "stage", "entry_places", "total_places"), "学位容量数据")
    keys = ["zone", "stage", *(["year"] if "year" in capacity.columns else [])]
    places = capacity.select(
        *keys, pl.col("entry_places").cast(pl.Float64), pl.col("total_places").cast(pl.Float64)
    )
    if "year" in keys:
        places = places.with_columns(pl.col("year").cast(pl.Int64))
    return frame.join(places, on=keys, how="left")


def _level(ratio: str, o: ForecastOptions) -> pl.Expr:
    value = pl.col(ratio)
    return (
        pl.when(value.is_null())
        .then(pl.lit(UNASSESSED))
        .when(value >= o.red_from)
        .then(pl.lit(WARNING_LEVELS[2]))
        .when(value >= o.yellow_from)
        .then(pl.lit(WARNING_LEVELS[1]))
        .otherwise(pl.lit(WARNING_LEVELS[0]))
    )


def _with_warnings(frame: pl.DataFrame, o: ForecastOptions) -> pl.DataFrame:
    def percent(num: str, den: str) -> pl.Expr:
        # rounded to 6 places so that e.g. 90 of 100 places is exactly 90 %, not 89.99999…
        return _ratio(pl.col(num) * 100, pl.col(den)).round(6)

    reason = (
        pl.when(pl.col("entrants").is_null())
        .then(pl.lit("缺少出生人口或入学比率，无法预测新生数"))
        .when(pl.col("entry_places").is_null())
        .then(pl.lit("缺少招生计划数"))
        .when(pl.col("entry_places") <= 0)
        .then(pl.lit("招生计划数为0"))
    )
    seat_reason = (
        pl.when(pl.col("enrolment").is_null())
        .then(pl.lit("缺少出生人口、在校生数或比率，无法预测在校生数"))
        .when(pl.col("total_places").is_null())
        .then(pl.lit("缺少学位总数"))
        .when(pl.col("total_places") <= 0)
        .then(pl.lit("学位总数为0"))
    )
    return frame.with_columns(
        percent("entrants", "entry_places").alias("entry_ratio"),
        percent("enrolment", "total_places").alias("total_ratio"),
        reason.alias("warning_reason"),
        seat_reason.alias("seat_warning_reason"),
    ).with_columns(_level("entry_ratio", o).alias("warning"), _level("total_ratio", o).alias("seat_warning"))


def backtest(
    data: PlaceData,
    origin_year: int,
    target_year: int,
    options: ForecastOptions | None = None,
    *,
    stage: str = PRIMARY,
    measure: Literal["entrants", "enrolment"] = "entrants",
) -> pl.DataFrame:
    """Forecast ``target_year`` from the data of ``origin_year`` and before (births, enrolment and entrants
    after it are dropped), and compare with what was observed in ``target_year``.

    Output, one row per zone: ``zone``, ``stage``, ``measure``, ``forecast``, ``actual``, ``error``
    (forecast − actual), ``pct_error`` (error / actual × 100; null when actual is 0 or unknown),
    ``abs_pct_error`` and ``mape`` (mean of ``abs_pct_error`` over the zones that have one — the same value
    on every row; null when none has)."""
    if target_year <= origin_year:
        raise CoreError("places.bad_backtest", "检验年份必须晚于预测起点年份")
    o = dataclasses.replace(options or ForecastOptions(), years=target_year - origin_year)

    def until(frame: pl.DataFrame | None) -> pl.DataFrame | None:
        return None if frame is None else frame.filter(pl.col("year").cast(pl.Int64) <= origin_year)

    past = dataclasses.replace(
        data,
        births=data.births.filter(pl.col("year").cast(pl.Int64) <= origin_year),
        enrolment=data.enrolment.filter(pl.col("year").cast(pl.Int64) <= origin_year),
        entrants=until(data.entrants),
    )
    predicted = forecast_places(past, o, origin_year=origin_year).filter(
        (pl.col("year") == target_year) & (pl.col("stage") == stage)
    )
    grade_table = _grade_table(o.system)
    observed = _observed(data, grade_table).filter(pl.col("year") == target_year)
    stage_idx = grade_table.filter(pl.col("stage") == stage)["idx"]
    if measure == "enrolment":
        actual = (
            observed.filter(pl.col("idx").is_in(stage_idx.implode()))
            .group_by("zone")
            .agg(
                # every grade of the stage on record, none null — never a partial sum
                pl.when(pl.col("pupils").count() == stage_idx.len())
                .then(pl.col("pupils").sum())
                .alias("actual")
            )
        )
    elif stage == PRIMARY and data.entrants is not None:
        actual = (
            _entrants(data, observed)
            .filter(pl.col("year") == target_year)
            .select("zone", pl.col("entrants").alias("actual"))
        )
    else:
        actual = observed.filter(pl.col("idx") == stage_idx.min()).select(
            "zone", pl.col("pupils").alias("actual")
        )
    error = pl.col("forecast") - pl.col("actual")
    result = (
        predicted.select("zone", "stage", pl.col(measure).alias("forecast"))
        .join(actual.with_columns(pl.col("actual").cast(pl.Float64)), on="zone", how="full", coalesce=True)
        .with_columns(pl.lit(stage).alias("stage"), pl.lit(measure).alias("measure"), error.alias("error"))
        .with_columns(_ratio(pl.col("error") * 100, pl.col("actual")).alias("pct_error"))
        .with_columns(pl.col("pct_error").abs().alias("abs_pct_error"))
        .with_columns(pl.col("abs_pct_error").mean().alias("mape"))
        .sort("zone")
    )
    return result.select(
        "zone", "stage", "measure", "forecast", "actual", "error", "pct_error", "abs_pct_error", "mape"
    )
