"""教职工 (staff): one row per 身份证号 at its school; 出生日期 and 性别 must agree with the ID (and are taken
from it when left blank); 双师型 only at 中等职业学校."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.imports.datasets.base import code_labels, label_codes, yes_no
from edubrain.imports.datasets.common import RowsConfig, from_codes
from edubrain.imports.datasets.students import check_future, check_id_consistency, sex_code, unique_in_file
from edubrain.imports.resolve import Context, parse_school_year, resolve_schools, with_absent
from edubrain.registry.choices import SUBJECTS, Education, Post, SchoolType, Tier, Title

POST_CODES = label_codes(
    Post.choices, {"教师": "teacher", "专任": "teacher", "行政": "admin", "教辅": "support", "工勤": "worker"}
)
SUBJECT_CODES = {s: s for s in SUBJECTS}
EDUCATION_CODES = label_codes(
    Education.choices,
    {
        "硕士研究生": "postgrad",
        "博士研究生": "postgrad",
        "大学本科": "bachelor",
        "大专": "college",
        "高中": "high",
        "中专": "high",
        "初中": "high",
    },
)
TITLE_CODES = label_codes(
    Title.choices,
    {
        "无": "",
        "正高级教师": "zhengji",
        "高级教师": "gaoji",
        "一级教师": "yiji",
        "二级教师": "erji",
        "三级教师": "sanji",
    },
)
TIER_CODES = label_codes(Tier.choices, {"骨干": "backbone"})
FLAGS = (
    ("preschool_major", "学前教育专业", ("学前教育专业毕业",), False),
    ("dual_qualified", "双师型", ("双师型教师",), False),
    ("professional_course", "专业课教师", ("专业课",), False),
    ("head_teacher", "班主任", ("是否班主任",), False),
    ("has_bianzhi", "在编", ("是否在编", "编制"), True),
)


class StaffConfig(RowsConfig):
    name, label, model_label = "staff", "教职工", "registry.Staff"
    key = ("id_number",)
    fields = (
        "school_id",
        "staff_number",
        "name",
        "sex",
        "birth_date",
        "post",
        "subject",
        "education",
        "preschool_major",
        "title",
        "tier",
        "dual_qualified",
        "professional_course",
        "head_teacher",
        "has_bianzhi",
        "joined_year",
        "left_year",
    )
    sources = {"school_id": "school_code"}
    notes = (
        "每名教职工一行，以身份证号识别：已登记的更新（可调到您管理范围内的另一所学校），其余新增。",
        "身份证号须与出生日期、性别一致；出生日期、性别留空时按身份证号填写。身份证号列请设为文本格式。",
        "入职学年、离职学年填学年的起始年份（如 2015 或 2015-2016）；离职学年应晚于入职学年，在职留空。",
        "“双师型”只适用于中等职业学校的教师。",
        "已登记人员留空的岗位类别、最高学历、职称等保持原值不变；文件中没有的列不会修改。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column("school_code", "学校标识码", "school_code", aliases=("学校代码",), required=True),
            Column(
                "id_number", "身份证号", "id_number", aliases=("身份证件号", "公民身份号码"), required=True
            ),
            Column("staff_number", "工号", "text", aliases=("教职工号", "职工号"), max_length=20),
            Column("name", "姓名", "text", aliases=("教职工姓名", "教师姓名"), required=True, max_length=40),
            Column("sex", "性别", "sex"),
            Column(
                "birth_date", "出生日期", "date", aliases=("出生年月日",), min=1930, max=dt.date.today().year
            ),
            Column("post", "岗位类别", "code", codes=POST_CODES, aliases=("岗位",)),
            Column("subject", "任教学科", "code", codes=SUBJECT_CODES, aliases=("学科", "主教学科")),
            Column("education", "最高学历", "code", codes=EDUCATION_CODES, aliases=("学历",)),
            *(Column(k, h, "bool", aliases=a) for k, h, a, _d in FLAGS[:1]),
            Column("title", "职称", "code", codes=TITLE_CODES, aliases=("专业技术职称", "专业技术职务")),
            Column("tier", "骨干层级", "code", codes=TIER_CODES, aliases=("骨干教师层级", "骨干类别")),
            *(Column(k, h, "bool", aliases=a) for k, h, a, _d in FLAGS[1:]),
            Column("joined_year", "入职学年", "text", aliases=("入职年份", "参加工作学年")),
            Column("left_year", "离职学年", "text", aliases=("离职年份",)),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("id_number",)

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = with_absent(rows, self.spec)
        frame = frame.with_columns(
            sex_code(pl.col("sex")).alias("sex"), pl.col("id_number").cast(pl.String).str.to_uppercase()
        )
        frame = resolve_schools(frame, ctx)
        frame = check_future(frame, ctx, "birth_date", "出生日期")
        frame = check_id_consistency(frame, ctx)
        born = pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
        odd = pl.col("id_number").str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1
        frame = frame.with_columns(
            pl.col("birth_date").fill_null(born),
            pl.col("sex").fill_null(pl.when(odd).then(pl.lit("M")).otherwise(pl.lit("F"))),
        )
        frame = unique_in_file(frame, ctx, "id_number", "身份证号")
        this_year = ctx.today.year
        for key, header in (("joined_year", "入职学年"), ("left_year", "离职学年")):
            frame = frame.with_columns(parse_school_year(pl.col(key)).alias(f"__{key}__"))
            frame = ctx.reject(
                frame,
                pl.col(key).is_not_null()
                & (pl.col(f"__{key}__").is_null() | (pl.col(f"__{key}__") > this_year)),
                header,
                key,
                f"{header}应写作学年的起始年份（如 2015 或 2015-2016），且不能晚于{this_year}年",
                "format",
            )
            frame = frame.with_columns(pl.col(f"__{key}__").alias(key))
        frame = ctx.reject(
            frame,
            pl.col("dual_qualified").fill_null(False) & (pl.col("__school_type__") != SchoolType.vocational),
            "双师型",
            yes_no(pl.col("dual_qualified")),
            "“双师型”仅适用于中等职业学校的教师",
            "consistency",
        )
        return self.coerce(self._check_stored(frame, ctx))

    def _check_stored(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Someone registered at a school outside the scope is refused (transfers go through the bureau)."""
        from edubrain.registry.models import Staff

        stored = queryset_frame(
            Staff._base_manager.filter(id_number__in=frame["id_number"].to_list()),
            ["id_number", "school__org_unit__path", "school__name"],
        ).rename({"school__org_unit__path": "__old_path__", "school__name": "__old_school__"})
        frame = frame.join(stored, on="id_number", how="left")
        outside = pl.col("__old_path__").is_not_null() & ~pl.col("__old_path__").str.starts_with(ctx.scope)
        if ctx.school is not None:
            outside = outside | (
                pl.col("__old_path__").is_not_null() & (pl.col("__old_path__") != ctx.school.org_unit.path)
            )
        return ctx.reject(
            frame,
            outside,
            "身份证号",
            "id_number",
            pl.format("此人已在{}登记（不在您的管理范围内），调动请联系教育局", pl.col("__old_school__")),
            "scope",
        )

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = ctx.reject(
            frame,
            pl.col("joined_year").is_null() | (pl.col("joined_year") == 0),
            "入职学年",
            "joined_year",
            "新登记的教职工须填写入职学年",
            "required",
        )
        frame = ctx.reject(
            frame,
            pl.col("education") == "",
            "最高学历",
            "education",
            "新登记的教职工须填写最高学历",
            "required",
        )
        return ctx.reject(
            frame,
            pl.col("left_year").is_not_null() & (pl.col("left_year") <= pl.col("joined_year")),
            "离职学年",
            "left_year",
            pl.format("离职学年（{}）应晚于入职学年（{}）", "left_year", "joined_year"),
            "consistency",
        )

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import Staff

        qs = Staff.objects.visible_to(user).exclude(id_number=None).order_by("school__code", "id_number")
        frame = queryset_frame(
            qs, ["school__code", "id_number", *[f for f in self.fields if f != "school_id"]]
        )
        year = pl.col("joined_year")
        return frame.select(
            pl.col("school__code").alias("学校标识码"),
            pl.col("id_number").alias("身份证号"),
            pl.col("staff_number").alias("工号"),
            pl.col("name").alias("姓名"),
            pl.col("sex").replace_strict({"M": "男", "F": "女"}, default=None).alias("性别"),
            pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("出生日期"),
            from_codes(pl.col("post"), code_labels(Post.choices)).alias("岗位类别"),
            pl.col("subject").alias("任教学科"),
            from_codes(pl.col("education"), code_labels(Education.choices)).alias("最高学历"),
            yes_no(pl.col("preschool_major")).alias("学前教育专业"),
            from_codes(pl.col("title"), code_labels(Title.choices)).alias("职称"),
            from_codes(pl.col("tier"), code_labels(Tier.choices)).alias("骨干层级"),
            *(yes_no(pl.col(k)).alias(h) for k, h, _a, _d in FLAGS[1:]),
            year.cast(pl.String).alias("入职学年"),
            pl.col("left_year").cast(pl.String).alias("离职学年"),
        )


STAFF = StaffConfig()
