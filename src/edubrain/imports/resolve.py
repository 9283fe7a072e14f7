"""Resolve references in validated rows (school codes, 学年, classes, towns) and check the user's scope.

Every refusal becomes a row error {sheet, row, column, value, message, rule} in ``Context.errors``; the row
leaves the frame, so later steps only see rows that can be written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import user_scope_path

ERROR_SCHEMA = {
    "sheet": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "message": pl.String,
    "rule": pl.String,
}
OUT_OF_SCOPE = "无权导入其他学校的数据"


@dataclass
class Context:
    """What one import run knows: who imports, within which scope, for which school, with which options."""

    user: Any = None
    school: Any = None  # registry.School when restricted to one school
    options: dict[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    present: set[str] = field(default_factory=set)  # column keys the file carries
    errors: list[pl.DataFrame] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    batch: Any = None

    @property
    def scope(self) -> str:
        """'' = everything (the operator or a superuser)."""
        if self.user is None:
            return ""
        return user_scope_path(self.user) or "/nothing/"

    def county(self) -> OrgUnit | None:
        """The county the user works in (the operator: the only or the configured county)."""
        from django.conf import settings

        scope = self.scope
        qs = OrgUnit.objects.filter(kind=OrgKind.COUNTY)
        if scope:
            unit = OrgUnit.objects.filter(path=scope).first()
            if unit is not None and unit.kind == OrgKind.COUNTY:
                return unit
            return qs.filter(path__in=_ancestors(scope)).first() or qs.filter(path__startswith=scope).first()
        code = settings.EDUBRAIN.get("COUNTY_DIVISION_CODE", "")
        return qs.filter(division_code=code).first() or qs.first()

    def reject(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr,
        column: str,
        value: pl.Expr | str,
        message: pl.Expr | str,
        rule: str = "reference",
    ) -> pl.DataFrame:
        """Record an error for every row where ``mask`` holds and return the other rows."""
        mask = mask.fill_null(False)
        bad = frame.filter(mask)
        if bad.height:

            def as_expr(v: Any) -> pl.Expr:
                if isinstance(v, str) and v in frame.columns:
                    return pl.col(v)
                return v if isinstance(v, pl.Expr) else pl.lit(v)

            self.errors.append(
                bad.select(
                    pl.col("__sheet__").cast(pl.String).alias("sheet"),
                    pl.col("__row__").cast(pl.Int64).alias("row"),
                    pl.lit(column).alias("column"),
                    as_expr(value).cast(pl.String).fill_null("").alias("value"),
                    (message if isinstance(message, pl.Expr) else pl.lit(message)).alias("message"),
                    pl.lit(rule).alias("rule"),
                )
            )
        return frame.filter(~mask)


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def resolve_schools(
    frame: pl.DataFrame, ctx: Context, column: str = "school_code", header: str = "学校标识码"
) -> pl.DataFrame:
    """Add ``school_id``, ``__school_path__`` and ``__school_type__``; unknown or out-of-scope schools are
    errors (a school administrator, or ``--school``, restricts the rows to that one school)."""
    from edubrain.registry.models import School

    if column not in frame.columns or frame[column].null_count() == frame.height:
        if ctx.school is None:
            return frame.with_columns(pl.lit(None, pl.Int64).alias("school_id"))
        frame = frame.with_columns(pl.lit(ctx.school.code).alias(column))
    codes = frame[column].drop_nulls().unique().to_list()
    schools = queryset_frame(
        School.objects.filter(code__in=codes), ["id", "code", "org_unit__path", "school_type"]
    ).rename(
        {
            "id": "school_id",
            "code": column,
            "org_unit__path": "__school_path__",
            "school_type": "__school_type__",
        }
    )
    frame = frame.drop(["school_id", "__school_path__", "__school_type__"], strict=False)
    frame = frame.join(schools, on=column, how="left")
    frame = ctx.reject(frame, pl.col(column).is_null(), header, column, f"{header}不能为空", "required")
    frame = ctx.reject(
        frame,
        pl.col("school_id").is_null(),
        header,
        column,
        pl.format("学校标识码“{}”不存在，请先导入或登记该学校", pl.col(column)),
    )
    return check_scope(frame, ctx, header, column)


def check_scope(frame: pl.DataFrame, ctx: Context, header: str, value: str) -> pl.DataFrame:
    """Rows whose school lies outside the user's scope (or is not the chosen school) are refused."""
    if ctx.school is not None:
        frame = ctx.reject(frame, pl.col("school_id") != ctx.school.pk, header, value, OUT_OF_SCOPE, "scope")
    if ctx.scope:
        frame = ctx.reject(
            frame, ~pl.col("__school_path__").str.starts_with(ctx.scope), header, value, OUT_OF_SCOPE, "scope"
        )
    return frame


def parse_school_year(expr: pl.Expr) -> pl.Expr:
    """'2024', '2024-2025', '2024—2025学年', '2024学年' → 2024 (the first four digits)."""
    return expr.cast(pl.String).str.extract(r"((?:19|20)\d{2})", 1).cast(pl.Int64, strict=False)


def school_year_ids(years: list[int]) -> dict[int, int]:
    """学年 rows for the years (created if missing); start year → id."""
    from edubrain.registry.models import SchoolYear

    SchoolYear.objects.bulk_create([SchoolYear(start_year=y) for y in years], ignore_conflicts=True)
    return dict(SchoolYear.objects.filter(start_year__in=years).values_list("start_year", "id"))


def known_school_years(years: list[int]) -> dict[int, int]:
    from edubrain.registry.models import SchoolYear

    return dict(SchoolYear.objects.filter(start_year__in=years).values_list("start_year", "id"))


def resolve_towns(
    frame: pl.DataFrame,
    ctx: Context,
    column: str,
    header: str,
    kinds: tuple[str, ...] = (OrgKind.TOWN,),
    *,
    check_scope: bool = True,
) -> pl.DataFrame:
    """Map a 镇/街道 given by name or 行政区划代码 (inside the user's county) to ``org_unit_id``."""
    county = ctx.county()
    units = OrgUnit.objects.filter(kind__in=kinds)
    if county is not None:
        units = units.filter(path__startswith=county.path)
    table = queryset_frame(units, ["id", "name", "division_code", "path"])
    by_name = table.select(
        pl.col("name").alias("__k__"), pl.col("id").alias("__unit__"), pl.col("path").alias("__unit_path__")
    )
    by_code = table.filter(pl.col("division_code") != "").select(
        pl.col("division_code").alias("__k__"),
        pl.col("id").alias("__unit__"),
        pl.col("path").alias("__unit_path__"),
    )
    lookup = pl.concat([by_code, by_name]).unique("__k__", keep="first")
    frame = frame.with_columns(pl.col(column).cast(pl.String).str.strip_chars().alias("__k__"))
    frame = frame.join(lookup, on="__k__", how="left").drop("__k__")
    frame = ctx.reject(frame, pl.col(column).is_null(), header, column, f"{header}不能为空", "required")
    frame = ctx.reject(
        frame,
        pl.col("__unit__").is_null(),
        header,
        column,
        pl.format("{}“{}”不存在（请填写本县的名称或行政区划代码）", pl.lit(header), pl.col(column)),
    )
    if ctx.scope and check_scope:
        frame = ctx.reject(
            frame,
            ~pl.col("__unit_path__").str.starts_with(ctx.scope),
            header,
            column,
            "无权导入其他地区的数据",
            "scope",
        )
    return frame


_KIND_DTYPES: dict[str, pl.DataType] = {
    "int": pl.Int64(),
    "decimal": pl.Float64(),
    "duration": pl.Float64(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
}


def with_absent(frame: pl.DataFrame, spec: Any) -> pl.DataFrame:
    """Add the spec's columns the file does not carry, as NULLs of the column's type (so expressions over
    optional columns work; ``Context.present`` still says which columns the file had)."""
    missing = [c for c in spec.columns if c.key not in frame.columns]
    if not missing:
        return frame
    return frame.with_columns(
        pl.lit(None, _KIND_DTYPES.get(c.kind, pl.String())).alias(c.key) for c in missing
    )


def resolve_students(
    frame: pl.DataFrame, ctx: Context, column: str = "student_number", header: str = "学籍号"
) -> pl.DataFrame:
    """Add ``student_id``, ``school_id``, ``__school_path__``, ``__school_type__`` from the 学籍号; an
    unknown 学籍号 or a student of a school outside the user's scope (or not the chosen school) is a row
    error."""
    from edubrain.registry.models import Student

    frame = frame.with_columns(pl.col(column).cast(pl.String).str.to_uppercase())
    numbers = frame[column].drop_nulls().unique().to_list()
    found = queryset_frame(
        Student._base_manager.filter(student_number__in=numbers),
        ["id", "student_number", "school_id", "school__org_unit__path", "school__school_type"],
    ).rename(
        {
            "id": "student_id",
            "student_number": column,
            "school__org_unit__path": "__school_path__",
            "school__school_type": "__school_type__",
        }
    )
    frame = frame.drop(["student_id", "school_id", "__school_path__", "__school_type__"], strict=False)
    frame = frame.join(found, on=column, how="left")
    frame = ctx.reject(frame, pl.col(column).is_null(), header, column, f"{header}不能为空", "required")
    frame = ctx.reject(
        frame,
        pl.col("student_id").is_null(),
        header,
        column,
        pl.format("学籍号“{}”的学生不存在，请先导入学生名单", pl.col(column)),
    )
    return check_scope(frame, ctx, header, column)


def resolve_batch_year(
    frame: pl.DataFrame, ctx: Context, column: str = "school_year", header: str = "学年"
) -> pl.DataFrame:
    """``school_year_id`` from the row's 学年 or, when the file has none, the batch option ``year`` (CLI
    ``--year``); neither is a row error. ``__year__`` keeps the start year; a school year not yet in the
    database leaves ``school_year_id`` NULL (``fill_school_years`` creates it when writing)."""
    option = parse_school_year(pl.lit(str(ctx.options.get("year") or ""))).alias("__opt__")
    given = parse_school_year(pl.col(column)) if column in frame.columns else pl.lit(None, pl.Int64)
    frame = frame.with_columns(pl.coalesce(given, option).alias("__year__"))
    if column in frame.columns:
        frame = ctx.reject(
            frame,
            pl.col(column).is_not_null() & parse_school_year(pl.col(column)).is_null(),
            header,
            column,
            "学年应写作 2024 或 2024-2025",
            "format",
        )
    frame = ctx.reject(
        frame,
        pl.col("__year__").is_null(),
        header,
        column if column in frame.columns else "",
        "未填写学年：请在文件中加“学年”列，或导入时选择学年（命令行 --year）",
        "required",
    )
    years = known_school_years(frame["__year__"].unique().to_list()) if frame.height else {}
    return frame.with_columns(
        pl.col("__year__").replace_strict(years, return_dtype=pl.Int64, default=None).alias("school_year_id")
    )


def fill_school_years(frame: pl.DataFrame) -> pl.DataFrame:
    """Create the missing school years of ``__year__`` and fill ``school_year_id`` (call when writing)."""
    todo = frame.filter(pl.col("school_year_id").is_null())
    if not todo.height:
        return frame
    years = school_year_ids(todo["__year__"].unique().to_list())
    return frame.with_columns(
        pl.coalesce(
            pl.col("school_year_id"),
            pl.col("__year__").replace_strict(years, return_dtype=pl.Int64, default=None),
        ).alias("school_year_id")
    )


def reject_duplicates(
    frame: pl.DataFrame, ctx: Context, keys: list[str], header: str, value: str, what: str
) -> pl.DataFrame:
    """Rows whose resolved ``keys`` occur more than once in the file are all refused (like the reader's
    duplicate check, which sees only the raw cells: 镇名 and 区划代码 of one town are one key here)."""
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    dup = complete & pl.struct(keys).is_duplicated()
    lo, hi = pl.col("__row__").min().over(keys), pl.col("__row__").max().over(keys)
    other = pl.when(pl.col("__row__") == lo).then(hi).otherwise(lo)
    return ctx.reject(
        frame,
        dup,
        header,
        value,
        pl.format("与第{}行重复，{}在文件中不能重复", other, pl.lit(what)),
        "duplicate",
    )


def errors_frame(ctx: Context) -> pl.DataFrame:
    if not ctx.errors:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    return pl.concat([e.select(list(ERROR_SCHEMA)).cast(ERROR_SCHEMA) for e in ctx.errors])
