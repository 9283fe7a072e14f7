"""The indicator engine's write side: compute every ``computed`` indicator of the catalogue for a county (its
镇/街道 and schools) and store the values.

    sync_catalogue() -> dict                    the catalogue (``core.indicators``) into ``Indicator`` rows
    recompute(county=None, years=None) -> dict  compute and store; every county when ``county`` is None

``recompute`` reads the county with a few grouped queries (``indicator_inputs.build_inputs``), runs the pure
formulas (``core.indicators.formulas``) and, in one transaction, replaces the previous computed values of
those indicators and years under the county with the new ones (bulk insert, ``source`` computed, with
``computed_at`` and a ``provenance`` naming the data used). Rows entered by hand (``source`` manual) are
never touched: where one exists, no computed value is written for that indicator, unit and year.
"""

from __future__ import annotations

import time
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from edubrain.base.audit import record_bulk
from edubrain.base.frames import insert_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.indicators.catalogue import CATALOGUE_LIST
from edubrain.core.indicators.formulas import COMPUTED_CODES, compute, provenance
from edubrain.plans.indicator_inputs import build_inputs
from edubrain.plans.models import Indicator, IndicatorValue
from edubrain.registry.models import School

SYNCED_FIELDS = (
    "name",
    "unit",
    "definition",
    "numerator",
    "denominator",
    "kind",
    "decimals",
    "higher_is_better",
)


def sync_catalogue() -> dict[str, int]:
    """Create the catalogue's missing ``Indicator`` rows and update changed ones (by code); rows no longer in
    the catalogue are kept (targets may point at them). Returns created, updated, total."""
    existing = {row.code: row for row in Indicator.objects.all()}
    created, updated = [], []
    for d in CATALOGUE_LIST:
        values = {f: getattr(d, f) for f in SYNCED_FIELDS}
        row = existing.get(d.code)
        if row is None:
            created.append(Indicator(code=d.code, **values))
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            updated.append(row)
    Indicator.objects.bulk_create(created, ignore_conflicts=True)
    if updated:
        Indicator.objects.bulk_update(updated, list(SYNCED_FIELDS))
    return {"created": len(created), "updated": len(updated), "total": len(CATALOGUE_LIST)}


def counties_of(unit: OrgUnit | None) -> list[OrgUnit]:
    """The counties to compute: ``unit`` itself when a county; the counties with schools under a city or
    province (every one when None); the county above a 镇/街道 or school."""
    if unit is not None and unit.kind == OrgKind.COUNTY:
        return [unit]
    if unit is not None and unit.kind not in (OrgKind.CITY, OrgKind.PROVINCE):
        return [u for u in unit.ancestors() if u.kind == OrgKind.COUNTY][-1:]
    with_schools = School.objects.values_list("town__parent_id", flat=True).distinct()
    found = OrgUnit.objects.filter(kind=OrgKind.COUNTY, pk__in=with_schools)
    if unit is not None:
        found = found.filter(path__startswith=unit.path)
    return list(found.order_by("path"))


def _key_frame(rows: Any) -> pl.DataFrame:
    schema = {"indicator_id": pl.Int64(), "org_unit_id": pl.Int64(), "year": pl.Int64()}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def recompute_county(county: OrgUnit, years: list[int] | None = None) -> dict[str, Any]:
    """Compute and store every computed indicator for one county; see the module docstring."""
    inputs = build_inputs(county, years)
    ids = dict(Indicator.objects.filter(code__in=COMPUTED_CODES).values_list("code", "pk"))
    codes = pl.DataFrame(
        {"indicator": list(ids), "indicator_id": list(ids.values())},
        schema={"indicator": pl.String(), "indicator_id": pl.Int64()},
    )
    frame = (
        compute(inputs, list(ids))
        .join(provenance(inputs, list(ids)), on=["indicator", "year"], how="left")
        .join(codes, on="indicator", how="inner")
    )
    in_county = OrgUnit.objects.filter(path__startswith=county.path)
    scope = IndicatorValue.objects.filter(
        indicator_id__in=list(ids.values()), year__in=list(inputs.years), org_unit__in=in_county
    )
    now = timezone.now()
    with transaction.atomic():
        manual = _key_frame(
            scope.filter(source=IndicatorValue.Source.MANUAL).values_list(
                "indicator_id", "org_unit_id", "year"
            )
        )
        kept = frame.join(manual, on=["indicator_id", "org_unit_id", "year"], how="inner").height
        frame = frame.join(manual, on=["indicator_id", "org_unit_id", "year"], how="anti")
        stale = scope.filter(source=IndicatorValue.Source.COMPUTED)
        replaced = stale._raw_delete(stale.db) or 0  # None when the scope is empty (no years)
        rows = frame.select(
            "indicator_id",
            "org_unit_id",
            "year",
            "value",
            "numerator",
            "denominator",
            pl.col("note").fill_null("").str.slice(0, 300),
            pl.lit(IndicatorValue.Source.COMPUTED.value).alias("source"),
            pl.col("provenance").fill_null("").str.slice(0, 300),
            pl.lit(now).alias("computed_at"),
        )
        written = insert_frame(IndicatorValue, rows)
        if written or replaced:
            record_bulk(
                IndicatorValue,
                written,
                summary=f"指标计算：{county.name} 写入 {written} 条指标值（替换 {replaced} 条）",
            )
    with_value = rows.filter(pl.col("value").is_not_null()).height
    return {
        "county": county.name,
        "years": list(inputs.years),
        "indicators": frame["indicator"].n_unique(),
        "values": written,
        "with_value": with_value,
        "without_value": written - with_value,
        "manual_kept": kept,
        "replaced": replaced,
    }


def recompute(county: OrgUnit | None = None, years: list[int] | None = None) -> dict[str, Any]:
    """Compute and store the computed indicators of ``county`` (every county with schools when None; a city
    or province: its counties; a 镇/街道 or school: its county) for ``years`` (default: every year with
    data). Returns the counts and the seconds taken: message (one Chinese sentence), counties, years,
    indicators, values, with_value, without_value, manual_kept, replaced, catalogue, seconds, and
    ``by_county`` (the same counts per county)."""
    started = time.perf_counter()
    catalogue = sync_catalogue()
    results = [recompute_county(c, years) for c in counties_of(county)]
    totals: dict[str, Any] = {
        key: sum(r[key] for r in results)
        for key in ("values", "with_value", "without_value", "manual_kept", "replaced")
    }
    seconds = round(time.perf_counter() - started, 2)
    return {
        "message": summary_message(results, seconds),
        "counties": len(results),
        "years": sorted({y for r in results for y in r["years"]}),
        "indicators": max((r["indicators"] for r in results), default=0),
        **totals,
        "catalogue": catalogue,
        "by_county": results,
        "seconds": seconds,
    }


def _years_text(years: list[int]) -> str:
    if not years:
        return "无数据年份"
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"


def summary_message(results: list[dict[str, Any]], seconds: float) -> str:
    """One Chinese sentence for the command line and the page that started the run."""
    if not results:
        return "没有可计算的县（区）：尚无学校数据。"
    names = "、".join(r["county"] for r in results)
    years = sorted({y for r in results for y in r["years"]})
    values = sum(r["values"] for r in results)
    without = sum(r["without_value"] for r in results)
    kept = sum(r["manual_kept"] for r in results)
    indicators = max(r["indicators"] for r in results)
    text = (
        f"已计算{names} {_years_text(years)}的 {indicators} 项指标，写入 {values:,} 条指标值"
        f"（其中 {without:,} 条因缺少数据无法计算，已注明原因）"
    )
    if kept:
        text += f"，保留人工填报 {kept:,} 条"
    return text + f"，用时 {seconds:.1f} 秒。"
