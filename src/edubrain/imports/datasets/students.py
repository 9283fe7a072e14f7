"""学生 (students) with an optional class assignment (学年 + 年级 + 班号 → the 学籍记录 of that year)."""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.base.frames import insert_frame, queryset_frame, update_frame
from edubrain.core.stages import GRADES
from edubrain.imports.datasets.base import (
    DatasetConfig,
    Plan,
    code_labels,
    fill_defaults,
    label_codes,
    yes_no,
)
from edubrain.imports.diff import CHANGED, UNCHANGED, sample_changes
from edubrain.imports.resolve import (
    Context,
    known_school_years,
    parse_school_year,
    resolve_schools,
    with_absent,
)
from edubrain.registry.choices import ETHNICITY_CHOICES, Hukou

SEX_CODES = {"男": "M", "女": "F", "M": "M", "F": "F", "1": "M", "2": "F"}
GRADE_CODES = {
    **{g.name: g.code for g in GRADES},
    **{g.code: g.code for g in GRADES},
    **{g.code.lstrip("0"): g.code for g in GRADES if g.code.startswith("0")},
}
HUKOU_CODES = label_codes(Hukou.choices, {"本地": "local", "随迁": "migrant", "外地户籍": "migrant"})


def person_columns(Column: Any) -> list[Any]:  # noqa: N803
    return [
        Column("name", "姓名", "text", aliases=("学生姓名",), required=True, max_length=40),
        Column("sex", "性别", "sex", required=True),
        Column("birth_date", "出生日期", "date", aliases=("出生年月日", "出生年月"), required=True),
    ]


def sex_code(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).replace_strict(SEX_CODES, default=None)


def check_id_consistency(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """身份证号 must agree with 出生日期 and 性别 (positions 7–14 and 17)."""
    has = pl.col("id_number").is_not_null()
    born = pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    frame = ctx.reject(
        frame,
        has & born.is_not_null() & (born != pl.col("birth_date")),
        "出生日期",
        pl.col("birth_date"),
        pl.format("出生日期{}与身份证号中的{}不一致", pl.col("birth_date"), born),
        "consistency",
    )
    id_sex = (
        pl.when(pl.col("id_number").str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1)
        .then(pl.lit("M"))
        .otherwise(pl.lit("F"))
    )
    return ctx.reject(
        frame,
        has & (id_sex != pl.col("sex")),
        "性别",
        pl.col("sex").replace_strict({"M": "男", "F": "女"}, default=None),
        pl.format("性别与身份证号（第17位表示{}）不一致", id_sex.replace_strict({"M": "男", "F": "女"})),
        "consistency",
    )


def check_future(frame: pl.DataFrame, ctx: Context, column: str, header: str) -> pl.DataFrame:
    return ctx.reject(
        frame, pl.col(column) > pl.lit(ctx.today), header, pl.col(column), f"{header}不能晚于今天", "range"
    )


def unique_in_file(frame: pl.DataFrame, ctx: Context, column: str, header: str) -> pl.DataFrame:
    dup = pl.col(column).is_not_null() & pl.col(column).is_duplicated()
    first = pl.col("__row__").min().over(column)
    return ctx.reject(
        frame,
        dup & (pl.col("__row__") != first),
        header,
        column,
        pl.format("{}与第{}行重复", pl.lit(header), first),
        "duplicate",
    )


class StudentsConfig(DatasetConfig):
    name, label, model_label = "students", "学生", "registry.Student"
    key = ("student_number",)
    fields = (
        "school_id",
        "id_number",
        "name",
        "sex",
        "birth_date",
        "ethnicity",
        "hukou",
        "left_behind",
        "disability",
        "financial_difficulty",
        "address",
    )
    sources = {"school_id": "school_code"}
    notes = (
        "每行一名学生，以学籍号识别：已有学籍号的学生更新，其余新增。",
        "填写“学年、年级、班号”时同时登记该学年的班级（班级须已在该校建立）；三列都不填则不改班级。",
        "学籍号已在您管理范围外的学校登记时不能导入，请联系教育局办理转学。",
        "身份证号须与出生日期、性别一致；身份证号列请设为文本格式，避免 Excel 改成科学计数法。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column(
                "school_code", "学校标识码", "school_code", aliases=("学校代码", "学校识别码"), required=True
            ),
            Column(
                "student_number",
                "学籍号",
                "student_number",
                aliases=("全国学籍号", "学生全国学籍号", "个人标识码"),
                required=True,
            ),
            Column(
                "id_number", "身份证号", "id_number", aliases=("身份证件号", "身份证件号码", "公民身份号码")
            ),
            *person_columns(Column),
            Column(
                "ethnicity",
                "民族",
                "code",
                codes=label_codes(ETHNICITY_CHOICES, {"汉": "01"}),
                aliases=("民族代码",),
                default="01",
            ),
            Column("hukou", "户籍类型", "code", codes=HUKOU_CODES, aliases=("户口性质",), default="local"),
            Column("left_behind", "留守儿童", "bool", aliases=("是否留守儿童",), default=False),
            Column("disability", "残疾", "bool", aliases=("是否残疾", "残疾人"), default=False),
            Column(
                "financial_difficulty", "家庭经济困难", "bool", aliases=("是否家庭经济困难",), default=False
            ),
            Column("address", "家庭住址", "text", aliases=("现住址", "家庭地址"), max_length=200),
            Column("school_year", "学年", "text", aliases=("入学学年",)),
            Column("grade", "年级", "code", codes=GRADE_CODES, aliases=("年级编号", "年级代码")),
            Column("class_number", "班号", "int", aliases=("班级号", "班级编号"), min=1, max=99),
        ]

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        rows = with_absent(rows, self.spec)  # optional columns the file lacks (e.g. 身份证号) as NULLs
        frame = rows.with_columns(sex_code(pl.col("sex")).alias("sex"))
        frame = resolve_schools(frame, ctx)
        frame = frame.with_columns(
            pl.col("student_number").str.to_uppercase(),
            pl.col("id_number").cast(pl.String).str.to_uppercase(),
        )
        frame = check_future(frame, ctx, "birth_date", "出生日期")
        frame = check_id_consistency(frame, ctx)
        frame = ctx.reject(
            frame,
            pl.col("student_number").str.starts_with("G")
            & pl.col("id_number").is_not_null()
            & (pl.col("student_number").str.slice(1) != pl.col("id_number")),
            "学籍号",
            "student_number",
            "学籍号（G+身份证号）与身份证号不一致",
            "consistency",
        )
        frame = unique_in_file(frame, ctx, "student_number", "学籍号")
        frame = unique_in_file(frame, ctx, "id_number", "身份证号")
        frame = self._check_stored(frame, ctx)
        return self.coerce(self._resolve_class(frame, ctx))

    def _check_stored(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """A 学籍号 stored at a school outside the scope is refused; so is a 身份证号 of another student."""
        from edubrain.registry.models import Student

        numbers = frame["student_number"].to_list()
        stored = queryset_frame(
            Student._base_manager.filter(student_number__in=numbers),
            ["student_number", "school__org_unit__path", "school__name"],
        )
        frame = frame.join(
            stored.rename({"school__org_unit__path": "__old_path__", "school__name": "__old_school__"}),
            on="student_number",
            how="left",
        )
        outside = pl.col("__old_path__").is_not_null() & ~pl.col("__old_path__").str.starts_with(ctx.scope)
        if ctx.school is not None:
            outside = outside | (
                pl.col("__old_path__").is_not_null()
                & (pl.col("__old_path__") != pl.lit(ctx.school.org_unit.path))
            )
        frame = ctx.reject(
            frame,
            outside,
            "学籍号",
            "student_number",
            pl.format(
                "该学籍号已在{}登记（不在您的管理范围内），不能导入；转学请联系教育局",
                pl.col("__old_school__"),
            ),
            "scope",
        )
        ids = frame["id_number"].drop_nulls().to_list()
        owners = queryset_frame(
            Student._base_manager.filter(id_number__in=ids), ["id_number", "student_number"]
        )
        frame = frame.join(owners.rename({"student_number": "__owner__"}), on="id_number", how="left")
        return ctx.reject(
            frame,
            pl.col("__owner__").is_not_null() & (pl.col("__owner__") != pl.col("student_number")),
            "身份证号",
            "id_number",
            "身份证号已被另一名学生（另一学籍号）使用",
            "duplicate",
        )

    def _resolve_class(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """学年 + 年级 + 班号 → ``school_class_id``/``school_year_id`` (all three or none)."""
        from edubrain.registry.models import SchoolClass

        if not {"school_year", "grade", "class_number"} & ctx.present:
            return frame.with_columns(
                pl.lit(None, pl.Int64).alias("school_class_id"), pl.lit(None, pl.Int64).alias("__year__")
            )
        parts = [pl.col(c).is_not_null() for c in ("school_year", "grade", "class_number")]
        frame = frame.with_columns(parse_school_year(pl.col("school_year")).alias("__year__"))
        frame = ctx.reject(
            frame,
            pl.any_horizontal(parts) & ~pl.all_horizontal(parts),
            "学年",
            "school_year",
            "登记班级须同时填写学年、年级和班号",
            "required",
        )
        frame = ctx.reject(
            frame,
            pl.col("school_year").is_not_null() & pl.col("__year__").is_null(),
            "学年",
            "school_year",
            "学年应写作 2024 或 2024-2025",
            "format",
        )
        years = known_school_years(frame["__year__"].drop_nulls().unique().to_list())
        classes = queryset_frame(
            SchoolClass.objects.filter(
                school_year_id__in=list(years.values()), school_id__in=frame["school_id"].unique().to_list()
            ),
            ["id", "school_id", "school_year__start_year", "grade_code", "number"],
        ).rename(
            {
                "id": "school_class_id",
                "school_year__start_year": "__year__",
                "grade_code": "grade",
                "number": "class_number",
            }
        )
        frame = frame.join(
            classes, on=["school_id", "__year__", "grade", "class_number"], how="left", nulls_equal=False
        )
        missing = pl.col("__year__").is_not_null() & pl.col("school_class_id").is_null()
        grade_name = pl.col("grade").replace_strict(
            code_labels([(g.code, g.name) for g in GRADES]), default=pl.col("grade")
        )
        return ctx.reject(
            frame,
            missing,
            "班号",
            "class_number",
            pl.format(
                "本校{}学年{}{}班不存在，请先导入班级", pl.col("__year__"), grade_name, pl.col("class_number")
            ),
        )

    def plan(self, frame: pl.DataFrame, ctx: Context) -> Plan:
        from edubrain.registry.models import Enrollment

        plan = super().plan(frame, ctx)
        students = plan.frame.rename({"id": "student_id"})
        with_class = students.filter(pl.col("school_class_id").is_not_null())
        stored = queryset_frame(
            Enrollment._base_manager.filter(student_id__in=with_class["student_id"].drop_nulls().to_list()),
            ["id", "student_id", "school_year__start_year", "school_class_id"],
        ).rename({"school_year__start_year": "__year__", "school_class_id": "__old_class__"})
        joined = students.join(
            stored.rename({"id": "enrollment_id"}), on=["student_id", "__year__"], how="left"
        )
        enrol = pl.col("school_class_id").is_not_null() & pl.col("__old_class__").ne_missing(
            pl.col("school_class_id")
        )
        status = (
            pl.when((pl.col("__status__") == UNCHANGED) & enrol)
            .then(pl.lit(CHANGED))
            .otherwise(pl.col("__status__"))
        )
        joined = joined.with_columns(status.alias("__status__"), enrol.alias("__enrol__")).rename(
            {"student_id": "id"}
        )
        samples = plan.samples or sample_changes(joined, self.key, (), self.labels())
        return Plan(joined, samples)

    def write(self, plan: Plan, ctx: Context) -> int:
        from edubrain.registry.models import Enrollment, Student

        written = super().write(plan, ctx)
        todo = plan.frame.filter(pl.col("__enrol__"))
        if todo.height:
            years = known_school_years(todo["__year__"].unique().to_list())
            ids = queryset_frame(
                Student._base_manager.filter(student_number__in=todo["student_number"].to_list()),
                ["id", "student_number"],
            ).rename({"id": "student_id"})
            todo = (
                todo.drop("id")
                .join(ids, on="student_number")
                .with_columns(
                    pl.col("__year__").replace_strict(years, return_dtype=pl.Int64).alias("school_year_id")
                )
            )
            new = todo.filter(pl.col("enrollment_id").is_null())
            insert_frame(
                Enrollment,
                fill_defaults(Enrollment, new.select("student_id", "school_year_id", "school_class_id")),
            )
            moved = todo.filter(pl.col("enrollment_id").is_not_null())
            update_frame(Enrollment, moved.select(pl.col("enrollment_id").alias("id"), "school_class_id"))
        return written

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import Enrollment, SchoolYear, Student

        cols = ["id", "school__code", *self.key, *(f for f in self.fields if f != "school_id")]
        frame = queryset_frame(
            Student.objects.visible_to(user).order_by("school__code", "student_number"), cols
        )
        latest = SchoolYear.objects.order_by("-start_year").first()
        enrol = (
            queryset_frame(
                Enrollment._base_manager.filter(school_year=latest, student_id__in=frame["id"].to_list()),
                ["student_id", "school_year__start_year", "school_class__grade_code", "school_class__number"],
            )
            if latest
            else pl.DataFrame(schema={"student_id": pl.Int64})
        )
        frame = frame.join(enrol, left_on="id", right_on="student_id", how="left")
        eth = code_labels(ETHNICITY_CHOICES)
        return frame.select(
            pl.col("school__code").alias("学校标识码"),
            pl.col("student_number").alias("学籍号"),
            pl.col("id_number").alias("身份证号"),
            pl.col("name").alias("姓名"),
            pl.col("sex").replace_strict({"M": "男", "F": "女"}, default=None).alias("性别"),
            pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("出生日期"),
            pl.col("ethnicity").replace_strict(eth, default=pl.col("ethnicity")).alias("民族"),
            pl.col("hukou").replace_strict(code_labels(Hukou.choices), default=None).alias("户籍类型"),
            yes_no(pl.col("left_behind")).alias("留守儿童"),
            yes_no(pl.col("disability")).alias("残疾"),
            yes_no(pl.col("financial_difficulty")).alias("家庭经济困难"),
            pl.col("address").alias("家庭住址"),
            pl.col("school_year__start_year").cast(pl.String).alias("学年")
            if "school_year__start_year" in frame.columns
            else pl.lit(None, pl.String).alias("学年"),
            (
                pl.col("school_class__grade_code")
                if "school_class__grade_code" in frame.columns
                else pl.lit(None, pl.String)
            ).alias("年级"),
            (
                pl.col("school_class__number")
                if "school_class__number" in frame.columns
                else pl.lit(None, pl.Int64)
            ).alias("班号"),
        )


STUDENTS = StudentsConfig()
