"""招生片区 (catchment areas) of a round: the workbook import/export and adding or deleting one area.

The workbook has one sheet “招生片区” with the columns 镇/街道, 社区/村/小区, 类型, 学校标识码, 学校名称 (the
name is informative). An import replaces the round's areas as a whole — all or nothing — and is refused
while an application still points at an area the file leaves out.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from edubrain.admission.models import AdmissionRound, Application, CatchmentArea
from edubrain.admission.rounds import require_round_admin
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.enrollment.eligibility import entry_grade
from edubrain.core.io.readers import ROW, ReadError, read_file
from edubrain.core.io.writers import table_bytes
from edubrain.core.stages import grade_allowed
from edubrain.registry.models import School
from edubrain.registry.models_org import school_system

SHEET = "招生片区"
TOWN, NAME, KIND, CODE, SCHOOL = "镇/街道", "社区/村/小区", "类型", "学校标识码", "学校名称"
HEADERS = (TOWN, NAME, KIND, CODE, SCHOOL)
REQUIRED = (TOWN, NAME, KIND, CODE)
KIND_BY_LABEL = {str(label): value for value, label in CatchmentArea.Kind.choices}
MAX_ERRORS = 50
LOCKED = (AdmissionRound.Status.PLACED, AdmissionRound.Status.PUBLISHED)


def export_frame(round_: AdmissionRound) -> pl.DataFrame:
    rows = list(
        round_.areas.order_by("town__sort_order", "town__name", "name").values_list(
            "town__name", "name", "kind", "school__code", "school__name"
        )
    )
    frame = pl.DataFrame(rows, schema=dict.fromkeys(HEADERS, pl.String), orient="row")
    labels = {v: str(k) for v, k in CatchmentArea.Kind.choices}
    return frame.with_columns(pl.col(KIND).replace_strict(labels, default=pl.col(KIND)))


def export_bytes(round_: AdmissionRound) -> bytes:
    return table_bytes(export_frame(round_), "xlsx", sheet=SHEET)


def _require_editable(round_: AdmissionRound, user: Any) -> None:
    require_round_admin(user, round_)
    if round_.status in LOCKED:
        raise ValidationError(
            {"file": f"招生批次{AdmissionRound.Status(round_.status).label}，不能再修改招生片区"}
        )


def _read(upload: Any) -> pl.DataFrame:
    name = getattr(upload, "name", "") or "招生片区.xlsx"
    max_bytes = int(settings.EDUBRAIN.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as fh:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                fh.write(chunk)
        try:
            sheets = read_file(path, filename=name, header_hint=HEADERS, max_bytes=max_bytes)
        except ReadError as exc:
            raise ValidationError({"file": exc.message}) from exc
    if not sheets:
        raise ValidationError({"file": f"文件“{name}”中找不到表头（应为：{'、'.join(HEADERS)}）"})
    sheet = next((s for s in sheets if s.name == SHEET), sheets[0])
    missing = [h for h in REQUIRED if h not in sheet.headers]
    if missing:
        raise ValidationError({"file": f"工作表“{sheet.name}”缺少列：{'、'.join(missing)}"})
    if sheet.frame.height == 0:
        raise ValidationError({"file": f"工作表“{sheet.name}”没有数据行"})
    return sheet.frame.select(ROW, *REQUIRED)


def _lookups(round_: AdmissionRound, frame: pl.DataFrame) -> pl.DataFrame:
    """Add town_id, school_id and the reason a school code cannot be used (unknown / other county / stage)."""
    county: OrgUnit = round_.county
    towns = pl.DataFrame(
        list(OrgUnit.objects.filter(parent=county, kind=OrgKind.TOWN).values_list("name", "id")),
        schema={TOWN: pl.String, "town_id": pl.Int64},
        orient="row",
    ).unique(TOWN, keep="first")
    codes = frame.get_column(CODE).drop_nulls().unique().to_list()
    system, grade = school_system(), entry_grade(round_.stage, school_system())
    found = School.objects.filter(code__in=codes).values_list(
        "code", "id", "org_unit__path", "school_type", "ownership"
    )
    schools = pl.DataFrame(
        [
            (code, pk, path.startswith(county.path), grade_allowed(kind, grade, system), owner == "public")
            for code, pk, path, kind, owner in found
        ],
        schema={
            CODE: pl.String,
            "school_id": pl.Int64,
            "in_county": pl.Boolean,
            "of_stage": pl.Boolean,
            "public": pl.Boolean,
        },
        orient="row",
    )
    return frame.join(towns, on=TOWN, how="left").join(schools, on=CODE, how="left")


def _errors(frame: pl.DataFrame, stage_label: str, county: str) -> list[str]:
    """Every bad cell as “第N行“列”：…” (vectorised: one boolean column per rule)."""
    kinds = "、".join(KIND_BY_LABEL)
    rules = [
        (pl.col(TOWN).is_null(), TOWN, pl.lit("不能为空")),
        (
            pl.col(TOWN).is_not_null() & pl.col("town_id").is_null(),
            TOWN,
            pl.format("“{}”不是{}的镇/街道", pl.col(TOWN), pl.lit(county)),
        ),
        (pl.col(NAME).is_null(), NAME, pl.lit("不能为空")),
        (pl.col(NAME).str.len_chars() > 100, NAME, pl.lit("不能超过 100 个字")),
        (
            pl.col(NAME).is_not_null() & pl.struct(TOWN, NAME).is_duplicated(),
            NAME,
            pl.format("“{}{}”重复（同一镇/街道下的片区名称不能重复）", pl.col(TOWN), pl.col(NAME)),
        ),
        (
            ~pl.col(KIND).is_in(list(KIND_BY_LABEL)).fill_null(False),
            KIND,
            pl.format("“{}”不是有效的类型，应为：{}", pl.col(KIND).fill_null(""), pl.lit(kinds)),
        ),
        (pl.col(CODE).is_null(), CODE, pl.lit("不能为空")),
        (
            pl.col(CODE).is_not_null() & pl.col("school_id").is_null(),
            CODE,
            pl.format("找不到学校标识码为“{}”的学校", pl.col(CODE)),
        ),
        (
            pl.col("in_county").not_().fill_null(False),
            CODE,
            pl.format("学校“{}”不在{}", pl.col(CODE), pl.lit(county)),
        ),
        (
            (pl.col("in_county") & pl.col("of_stage").not_()).fill_null(False),
            CODE,
            pl.format("学校“{}”不招收{}", pl.col(CODE), pl.lit(stage_label)),
        ),
        (
            (pl.col("in_county") & pl.col("of_stage") & pl.col("public").not_()).fill_null(False),
            CODE,
            pl.format("学校“{}”是民办学校，民办学校不划分招生片区", pl.col(CODE)),
        ),
    ]
    parts = [
        frame.filter(cond).select(
            pl.col(ROW).alias("row"), pl.lit(column).alias("column"), message.alias("message")
        )
        for cond, column, message in rules
    ]
    found = pl.concat(parts).sort("row", maintain_order=True)
    return [f"第{r['row']}行“{r['column']}”：{r['message']}" for r in found.head(MAX_ERRORS).to_dicts()]


def import_areas(round_: AdmissionRound, user: Any, upload: Any) -> dict[str, int]:
    """Replace the round's areas with the workbook's (all or nothing). Returns created/updated/deleted."""
    _require_editable(round_, user)
    frame = _lookups(round_, _read(upload))
    errors = _errors(frame, round_.get_stage_display(), round_.county.name)
    if errors:
        raise ValidationError({"file": errors})
    wanted = frame.select(
        "town_id",
        pl.col(NAME).alias("name"),
        pl.col(KIND).replace_strict(KIND_BY_LABEL).alias("kind"),
        "school_id",
    )
    with transaction.atomic():
        locked = CatchmentArea.objects.select_for_update().filter(round=round_).order_by("pk")
        existing = {(a.town_id, a.name): a for a in locked}
        keys = set(zip(wanted["town_id"].to_list(), wanted["name"].to_list(), strict=True))
        removed = [a for key, a in existing.items() if key not in keys]
        used = (
            Application.objects.filter(area__in=removed)
            .values_list("area__town__name", "area__name")
            .distinct()
            .order_by("area__town__name", "area__name")
        )
        if removed and used.exists():
            names = "、".join(f"{t or ''}{n}" for t, n in used[:20])
            raise ValidationError({"file": f"以下片区已有报名申请，不能从招生片区中删除：{names}"})
        created, updated = [], []
        for row in wanted.iter_rows(named=True):
            area = existing.get((row["town_id"], row["name"]))
            if area is None:
                created.append(CatchmentArea(round=round_, **row))
            elif (area.kind, area.school_id) != (row["kind"], row["school_id"]):
                area.kind, area.school_id = row["kind"], row["school_id"]
                updated.append(area)
        CatchmentArea.objects.filter(pk__in=[a.pk for a in removed]).delete()
        CatchmentArea.objects.bulk_create(created)
        CatchmentArea.objects.bulk_update(updated, ["kind", "school"])
    return {"created": len(created), "updated": len(updated), "deleted": len(removed)}


def add_area(
    round_: AdmissionRound, user: Any, *, town_id: Any, name: str, kind: str, school_id: Any
) -> CatchmentArea:
    """添加一个片区 (the page's form)."""
    _require_editable(round_, user)
    errors: dict[str, str] = {}
    town = OrgUnit.objects.filter(pk=_int(town_id), parent=round_.county, kind=OrgKind.TOWN).first()
    if town is None:
        errors["town"] = f"请选择{round_.county.name}的镇/街道"
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写社区/村/小区名称"
    elif len(name) > 100:
        errors["name"] = "社区/村/小区名称不能超过 100 个字"
    if kind not in CatchmentArea.Kind.values:
        errors["kind"] = f"请选择类型：{'、'.join(KIND_BY_LABEL)}"
    school = zone_schools(round_).filter(pk=_int(school_id)).first()
    if school is None:
        errors["school"] = f"请选择{round_.county.name}招收{round_.get_stage_display()}的学校"
    if town is not None and name and round_.areas.filter(town=town, name=name).exists():
        errors["name"] = f"片区“{town.name}{name}”已经存在"
    if errors:
        raise ValidationError(errors)
    return CatchmentArea.objects.create(round=round_, town=town, name=name, kind=kind, school=school)


def delete_area(area: CatchmentArea, user: Any) -> None:
    """删除一个片区, refused while an application points at it."""
    _require_editable(area.round, user)
    count = Application.objects.filter(area=area).count()
    if count:
        raise ValidationError({"area": f"片区“{area}”已有 {count} 份报名申请，不能删除"})
    area.delete()


def zone_schools(round_: AdmissionRound) -> Any:
    """The county's public schools that teach the round's entry grade (the choices of 对口学校)."""
    system = school_system()
    grade = entry_grade(round_.stage, system)
    schools = School.objects.filter(org_unit__path__startswith=round_.county.path, ownership="public")
    types = {
        t for t in schools.values_list("school_type", flat=True).distinct() if grade_allowed(t, grade, system)
    }
    return schools.filter(school_type__in=types).order_by("code")


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None
