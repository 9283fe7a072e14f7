"""规划目标进度: how far an indicator is along the way to a plan target, from its values by year.

Pure Python over plain numbers (no Django, no database): ``assess(spec, observed)`` takes a target
(``TargetSpec``: comparator, target year and value, baseline year and value) and the observed values by
year, and returns a ``Progress``: the planned straight path from the baseline to the target, a forecast to
the target year, a status and a one-sentence Chinese explanation.

Two kinds of target:

- **level targets** (``>=``, ``<=``, ``=``): the value of the target year is what counts. The *path* is the
  straight line from the baseline (year, value) to the target (year, value) — from the first observation when
  the plan gives no baseline. The *forecast* is the least-squares linear trend over the observed years of the
  plan period (at least two), extrapolated to the target year; with one observation there is no forecast.
- **yearly targets** (``decrease_by``, ``increase_by``: 总体近视率每年降低不少于1个百分点, 逐年只增不减 =
  ``increase_by`` 0): every year is compared with the year before (the plan's baseline stands in for a
  missing baseline-year observation); a gap of *n* years must show *n* times the yearly change. The path
  runs from the start value by the yearly amount.

``STATUS_RULES`` states the rule in Chinese (the pages print it); the tests in tests/core/plan pin every
boundary. Values are compared as stored (to 1e-9): rounding is the indicator engine's business.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from edubrain.core.errors import CoreError

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "achieved", "on_track", "at_risk", "off_track", "no_data"
STATUSES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
STATUS_LABELS = {
    ACHIEVED: "已达成",
    ON_TRACK: "进展顺利",
    AT_RISK: "存在风险",
    OFF_TRACK: "进度滞后",
    NO_DATA: "数据不足",
}
LEVEL_COMPARATORS = (">=", "<=", "=")
YEARLY_COMPARATORS = ("decrease_by", "increase_by")
COMPARATORS = LEVEL_COMPARATORS + YEARLY_COMPARATORS

MARGIN_SHARE = 0.2
"""A forecast misses "by a small margin" when short by at most 20 % of the planned change (target − baseline)
…"""
MARGIN_FLOOR = 0.01
"""… and at least 1 % of the target value (the whole margin when the plan foresees no change)."""
EQUAL_TOLERANCE = 0.02
"""An ``=`` target is met within ±2 % of the target value."""
EPS = 1e-9

STATUS_RULES: tuple[tuple[str, str, str], ...] = (
    (ACHIEVED, STATUS_LABELS[ACHIEVED], "最新一年的值已满足目标。"),
    (
        ON_TRACK,
        STATUS_LABELS[ON_TRACK],
        "最新值达到或好于计划路径（从基期值到目标值的直线）在该年的值，且按已有年份的最小二乘线性趋势"
        "预测到目标年能满足目标；只有一年数据时不作预测，达到计划路径即为进展顺利。",
    ),
    (
        AT_RISK,
        STATUS_LABELS[AT_RISK],
        "落后于计划路径但趋势预测能满足目标；或达到计划路径但预测值与目标有小幅差距（不超过计划变化量的20%，"
        "且至少为目标值的1%）；只有一年数据且落后于计划路径。",
    ),
    (
        OFF_TRACK,
        STATUS_LABELS[OFF_TRACK],
        "落后于计划路径且预测不能满足目标；或预测值与目标的差距超过上述小幅；或目标年已到仍未达到。",
    ),
    (NO_DATA, STATUS_LABELS[NO_DATA], "没有数据、目标未量化，或只有一年数据又没有基期值。"),
)
YEARLY_RULE = (
    "逐年目标（如“每年降低不少于1个百分点”“逐年只增不减”）逐年与上一年比较，缺一年时按间隔年数累计要求："
    "每年都达到为进展顺利（规划期结束时为已达成）；有年份未达到，但最近一年达到或累计变化不落后于计划路径为"
    "存在风险；最近一年未达到且累计变化落后于计划路径为进度滞后；规划期结束时有年份未达到也为进度滞后。"
)
STATUS_RULE = (
    "；".join(f"{label}：{text.rstrip('。')}" for _, label, text in STATUS_RULES) + "。" + YEARLY_RULE
)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class TargetSpec:
    """A plan target. ``target`` is the target value for level comparators and the yearly amount (≥ 0) for
    ``decrease_by``/``increase_by``; ``unit`` is only used in sentences (``%`` changes read 个百分点);
    ``decimals``: observed values are judged as the indicator publishes them, rounded half-up to that many
    decimals (17.95 % published as 18.0 % meets ≥ 18 %)."""

    comparator: str
    target: float | None
    target_year: int | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    unit: str = ""
    decimals: int | None = None

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise CoreError(
                "plan.comparator", f"未知的目标比较方式“{self.comparator}”，应为：{'、'.join(COMPARATORS)}"
            )
        if self.yearly and self.target is not None and self.target < 0:
            raise CoreError("plan.yearly_amount", f"逐年目标的每年变化量不能为负数（{self.target}）")

    @property
    def yearly(self) -> bool:
        return self.comparator in YEARLY_COMPARATORS

    @property
    def has_baseline(self) -> bool:
        return self.baseline is not None and self.baseline_year is not None


@dataclass(frozen=True)
class Forecast:
    """The least-squares line through the observed points: ``value`` at ``year``, ``slope`` per year."""

    year: int
    value: float
    slope: float
    points: int
    first_year: int
    last_year: int
    mean_year: float
    mean_value: float
    method: str

    def at(self, year: int) -> float:
        return self.mean_value + self.slope * (year - self.mean_year)


@dataclass(frozen=True)
class YearCheck:
    """One yearly comparison: ``value`` of ``year`` against ``previous`` of ``previous_year``; ``required``
    is the change the rule asks for over that interval (negative for a decrease)."""

    year: int
    previous_year: int
    previous: float
    value: float
    change: float
    required: float
    met: bool


@dataclass(frozen=True)
class Progress:
    status: str
    explanation: str
    latest_year: int | None = None
    latest: float | None = None
    path: Mapping[int, float] | None = None
    forecast: Forecast | None = None
    checks: tuple[YearCheck, ...] = ()
    on_path: bool | None = None
    gap: float | None = None
    """Level targets: how far the latest value is short of the target (≤ 0 once met)."""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missed_years(self) -> list[int]:
        return [c.year for c in self.checks if not c.met]


# ---------------------------------------------------------------- formatting


def fmt(value: float) -> str:
    """A number as the plan writes it: at most two decimals, no trailing zeros (55, 1.37, 0.5)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def change_unit(unit: str) -> str:
    return "个百分点" if unit == "%" else unit


def target_text(spec: TargetSpec, with_year: bool = True) -> str:
    """≥55%（2025年）, ≤1.02, 每年降低不少于1个百分点, 逐年只增不减."""
    if spec.target is None:
        return "未量化"
    amount = f"{fmt(spec.target)}{change_unit(spec.unit)}"
    if spec.comparator == "decrease_by":
        return f"每年降低不少于{amount}"
    if spec.comparator == "increase_by":
        return "逐年只增不减" if spec.target == 0 else f"每年提高不少于{amount}"
    sign = {">=": "≥", "<=": "≤", "=": "≈"}[spec.comparator]
    year = f"（{spec.target_year}年）" if spec.target_year and with_year else ""
    return f"{sign}{fmt(spec.target)}{spec.unit}{year}"


def _value(value: float, unit: str) -> str:
    return f"{fmt(value)}{unit}"


# ---------------------------------------------------------------- rules


def published(value: float, decimals: int | None) -> float:
    """A value as the indicator publishes it: half-up to ``decimals`` (unchanged when None)."""
    if decimals is None:
        return value
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def points(observed: Mapping[int, float | None], decimals: int | None = None) -> list[tuple[int, float]]:
    """The usable observations, by year (None and NaN dropped), as published (see ``published``)."""
    return sorted(
        (int(y), published(float(v), decimals))
        for y, v in observed.items()
        if v is not None and not math.isnan(float(v))
    )


def tolerance(spec: TargetSpec) -> float:
    return EQUAL_TOLERANCE * abs(spec.target or 0.0)


def shortfall(spec: TargetSpec, value: float) -> float:
    """How far ``value`` is short of a level target (≤ 0: met)."""
    target = spec.target if spec.target is not None else 0.0
    if spec.comparator == ">=":
        return target - value
    if spec.comparator == "<=":
        return value - target
    if spec.comparator == "=":
        return abs(value - target) - tolerance(spec)
    raise CoreError("plan.not_level", f"“{spec.comparator}”是逐年目标，没有单一目标值")


def satisfied(spec: TargetSpec, value: float | None) -> bool | None:
    """Whether one value meets a level target (None without a value or target)."""
    if value is None or spec.target is None:
        return None
    return shortfall(spec, value) <= EPS


def meets(spec: TargetSpec, values: Iterable[float | None]) -> list[bool | None]:
    """Each value (as published) against a level target; None for a missing value or a yearly target."""
    if spec.yearly:
        return [None for _ in values]
    return [None if v is None else satisfied(spec, published(v, spec.decimals)) for v in values]


def margin(spec: TargetSpec, start: float | None) -> float:
    """The "small margin" a forecast may miss by and still be only at risk."""
    target = spec.target if spec.target is not None else 0.0
    floor = MARGIN_FLOOR * abs(target)
    if start is None:
        return floor
    return max(MARGIN_SHARE * abs(target - start), floor)


def _start(spec: TargetSpec, pts: list[tuple[int, float]]) -> tuple[int, float] | None:
    if spec.baseline is not None and spec.baseline_year is not None:
        return spec.baseline_year, spec.baseline
    return pts[0] if pts else None


def planned_path(
    spec: TargetSpec, observed: Mapping[int, float | None] | None = None, until: int | None = None
) -> dict[int, float]:
    """The planned value of every year from the start (baseline, else the first observation) to the target
    year — for yearly targets the start moved by the yearly amount each year, up to the target year or,
    without one, ``until`` (else the last observation). Empty when it cannot be drawn."""
    pts = points(observed or {}, spec.decimals)
    start = _start(spec, pts)
    if start is None or spec.target is None:
        return {}
    first, value = start
    if spec.yearly:
        step = -spec.target if spec.comparator == "decrease_by" else spec.target
        last = spec.target_year or until or (pts[-1][0] if pts else first)
        return {y: value + step * (y - first) for y in range(first, max(last, first) + 1)}
    if spec.target_year is None or first > spec.target_year:
        return {}
    if first == spec.target_year:
        return {first: spec.target}
    span = spec.target_year - first
    return {y: value + (spec.target - value) * (y - first) / span for y in range(first, spec.target_year + 1)}


def linear_forecast(
    observed: Mapping[int, float | None] | Iterable[tuple[int, float]], year: int, unit: str = ""
) -> Forecast | None:
    """Least squares over the observed years (at least two), evaluated at ``year``."""
    pts = points(observed) if isinstance(observed, Mapping) else sorted(observed)
    if len({y for y, _ in pts}) < 2:
        return None
    n = len(pts)
    mean_x = sum(y for y, _ in pts) / n
    mean_y = sum(v for _, v in pts) / n
    sxx = sum((y - mean_x) ** 2 for y, _ in pts)
    sxy = sum((y - mean_x) * (v - mean_y) for y, v in pts)
    slope = sxy / sxx
    value = mean_y + slope * (year - mean_x)
    first, last = pts[0][0], pts[-1][0]
    per_year = f"{'+' if slope >= 0 else '−'}{fmt(abs(slope))}{change_unit(unit)}"
    method = (
        f"最小二乘线性趋势：按{first}—{last}年{n}个年度值拟合直线（每年{per_year}），外推至{year}年"
        f"为{_value(value, unit)}"
    )
    return Forecast(year, value, slope, n, first, last, mean_x, mean_y, method)


# ---------------------------------------------------------------- level targets


def _window(spec: TargetSpec, observed: Mapping[int, float | None]) -> list[tuple[int, float]]:
    """The observations of the plan period: from the baseline year (if any) to the target year (if any)."""
    low = spec.baseline_year if spec.baseline_year is not None else -math.inf
    high = spec.target_year if spec.target_year is not None else math.inf
    return [(y, v) for y, v in points(observed, spec.decimals) if low <= y <= high]


def assess(spec: TargetSpec, observed: Mapping[int, float | None]) -> Progress:
    """The progress of one target given its values by year (see ``STATUS_RULES``)."""
    if spec.target is None:
        return Progress(NO_DATA, "该目标未给出数值，无法判断进度。")
    if spec.yearly:
        return _assess_yearly(spec, observed)
    return _assess_level(spec, observed)


def _goal(spec: TargetSpec) -> str:
    """目标（2025年≥55%）."""
    year = f"{spec.target_year}年" if spec.target_year and not spec.yearly else ""
    return f"目标（{year}{target_text(spec, with_year=False)}）"


def _assess_level(spec: TargetSpec, observed: Mapping[int, float | None]) -> Progress:
    pts = _window(spec, observed)
    goal = _goal(spec)
    if not pts:
        return Progress(NO_DATA, f"规划期内暂无该指标的数据，无法对照{goal}。")
    year, latest = pts[-1]
    now = f"{year}年为{_value(latest, spec.unit)}"
    gap = shortfall(spec, latest)
    path = planned_path(spec, dict(pts))
    start = _start(spec, pts)
    # Without a baseline and with one observation the path would start at that very point: nothing to judge.
    planned = path.get(year) if spec.has_baseline or len(pts) > 1 else None
    due = spec.target_year
    forecast = linear_forecast(pts, due, spec.unit) if due is not None and due > year else None
    on_path = None if planned is None else shortfall(spec, latest) <= shortfall(spec, planned) + EPS
    base = Progress(NO_DATA, "", year, latest, path, forecast, (), on_path, gap)
    if gap <= EPS:
        return replace(base, status=ACHIEVED, explanation=f"{now}，已达到{goal}。")
    if due is None:
        sentence = f"{now}，尚未达到{goal}；目标未规定年份，无法按计划路径判断。"
        return replace(base, status=AT_RISK, explanation=sentence)
    if year >= due:
        return replace(base, status=OFF_TRACK, explanation=f"目标年{now}，未达到{goal}。")
    if planned is None and forecast is None:
        sentence = f"仅有{year}年一个数据且规划未给出基期值，无法判断能否实现{goal}。"
        return replace(base, explanation=sentence)
    path_text = (
        ""
        if planned is None
        else (f"，{'达到' if on_path else '落后于'}计划路径（{year}年应为{_value(planned, spec.unit)}）")
    )
    if forecast is None:
        status = ON_TRACK if on_path else AT_RISK
        sentence = f"{now}{path_text}；仅一年数据，暂不作趋势预测。"
        return replace(base, status=status, explanation=sentence)
    miss = shortfall(spec, forecast.value)
    predicted = f"按趋势预测{due}年为{_value(forecast.value, spec.unit)}"
    if miss <= EPS:
        status = AT_RISK if on_path is False else ON_TRACK
        outcome = f"{predicted}，能够实现{goal}"
    else:
        small = miss <= margin(spec, start[1] if start else None) + EPS
        status = AT_RISK if on_path is not False and small else OFF_TRACK
        distance = abs(forecast.value - (spec.target or 0.0)) if spec.comparator == "=" else miss
        outcome = f"{predicted}，距{goal}差{_value(distance, change_unit(spec.unit))}"
    joiner = "，但" if path_text and (on_path is False) == (miss <= EPS) else "，"
    return replace(base, status=status, explanation=f"{now}{path_text}{joiner}{outcome}。")


# ---------------------------------------------------------------- yearly targets


def yearly_checks(spec: TargetSpec, observed: Mapping[int, float | None]) -> list[YearCheck]:
    """Every year compared with the previous observed year of the plan period (the baseline stands in for the
    baseline year when it was not observed)."""
    return _checks(spec, _yearly_points(spec, observed))


def _yearly_points(spec: TargetSpec, observed: Mapping[int, float | None]) -> list[tuple[int, float]]:
    pts = _window(spec, observed)
    observed_baseline = bool(pts) and pts[0][0] == spec.baseline_year
    if spec.baseline is not None and spec.baseline_year is not None and not observed_baseline:
        pts.insert(0, (spec.baseline_year, spec.baseline))
    return pts


def _checks(spec: TargetSpec, pts: list[tuple[int, float]]) -> list[YearCheck]:
    amount = spec.target or 0.0
    decrease = spec.comparator == "decrease_by"
    out = []
    for (y0, v0), (y1, v1) in zip(pts, pts[1:], strict=False):
        required = (-amount if decrease else amount) * (y1 - y0)
        change = v1 - v0
        met = change <= required + EPS if decrease else change >= required - EPS
        out.append(YearCheck(y1, y0, v0, v1, change, required, met))
    return out


def _rule_text(spec: TargetSpec, missed: bool = False) -> str:
    """What every year must do (每年均…), or what a year that failed did not do (…年未…)."""
    amount = f"{fmt(spec.target or 0.0)}{change_unit(spec.unit)}"
    if spec.comparator == "decrease_by":
        text = f"降低不少于{amount}"
    elif spec.target:
        text = f"提高不少于{amount}"
    else:
        return "比上一年减少" if missed else "不低于上一年"
    return f"未{text}" if missed else text


def _change_text(check: YearCheck, unit: str) -> str:
    if abs(check.change) <= EPS:
        moved = "持平"
    else:
        moved = f"{'上升' if check.change > 0 else '降低'}{fmt(abs(check.change))}{change_unit(unit)}"
    skipped = check.year - check.previous_year - 1
    since = f"比{check.previous_year}年" + (f"（中间{skipped}年无数据，按间隔累计要求）" if skipped else "")
    return f"{check.year}年{since}{moved}"


def _on_path(spec: TargetSpec, value: float, planned: float | None) -> bool | None:
    if planned is None:
        return None
    return value <= planned + EPS if spec.comparator == "decrease_by" else value >= planned - EPS


def _assess_yearly(spec: TargetSpec, observed: Mapping[int, float | None]) -> Progress:
    pts = _yearly_points(spec, observed)
    rule, failed = _rule_text(spec), _rule_text(spec, missed=True)
    if len(pts) < 2:
        only = f"仅有{pts[0][0]}年数据" if pts else "暂无数据"
        sentence = f"{only}，至少需要两个年份才能逐年比较（要求每年{rule}）。"
        return Progress(NO_DATA, sentence, pts[-1][0] if pts else None, pts[-1][1] if pts else None)
    checks = tuple(_checks(spec, pts))
    year, latest = pts[-1]
    path = planned_path(spec, dict(pts))
    planned = path.get(year)
    on_path = _on_path(spec, latest, planned)
    forecast = None
    if spec.target_year is not None and spec.target_year > year:
        forecast = linear_forecast(_window(spec, observed), spec.target_year, spec.unit)
    base = Progress(NO_DATA, "", year, latest, path, forecast, checks, on_path)
    missed = [c for c in checks if not c.met]
    complete = spec.target_year is not None and year >= spec.target_year
    span = f"{checks[0].previous_year}—{year}年"
    if not missed:
        if complete:
            return replace(base, status=ACHIEVED, explanation=f"规划期内（{span}）每年均{rule}，目标已达成。")
        return replace(base, status=ON_TRACK, explanation=f"{span}逐年比较，每年均{rule}。")
    detail = "；".join(_change_text(c, spec.unit) for c in missed)
    where = f"{year}年应{'不高于' if spec.comparator == 'decrease_by' else '不低于'}"
    cumulative = f"累计变化{'不落后于' if on_path else '落后于'}计划路径" + (
        f"（{where}{_value(planned, spec.unit)}）" if planned is not None else ""
    )
    which = "、".join(f"{c.year}年" for c in missed)
    if complete:
        sentence = f"规划期内{which}{failed}（{detail}）。"
        return replace(base, status=OFF_TRACK, explanation=sentence)
    if checks[-1].met or on_path:
        recent = f"{year}年已{rule}" if checks[-1].met else cumulative
        return replace(base, status=AT_RISK, explanation=f"{which}{failed}（{detail}），但{recent}。")
    return replace(base, status=OFF_TRACK, explanation=f"{which}{failed}（{detail}），{cumulative}。")
