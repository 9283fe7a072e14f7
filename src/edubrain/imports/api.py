"""Import API (数据导入接口): upload a file, follow its preview, read its errors, commit; list batches.

Routes (mounted under /api): ``POST /imports`` (multipart), ``GET /imports``, ``GET /imports/{id}``,
``GET /imports/{id}/errors``, ``POST /imports/{id}/commit``, ``GET /imports/templates/{dataset}``.
Every batch comes from ``ImportBatch.objects.visible_to(user)`` (another scope's batch is a 404); writing
needs a role that may write (leaders are read-only: 403).
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from edubrain.base.api import ApiSchema, Choice, PagePagination, Ref, api_user, request_user
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.imports.forms import check_file_name, fixed_school
from edubrain.imports.models import ImportBatch
from edubrain.imports.views import READ_ONLY_MESSAGE, REFUSED, XLSX, attachment, shown_errors
from edubrain.registry.models import School

TAG = "数据导入"
ERRORS_INLINE = 50
router = Router(tags=[TAG])


# ---------------------------------------------------------------- schemas


class ImportError_(Schema):
    """一条错误：工作表、行号（电子表格自己的行号）、列名、原值、中文说明。"""

    sheet: str | None = Field(None, description="工作表名")
    row: int | None = Field(None, description="行号（与 Excel 中看到的行号一致）")
    column: str | None = Field(None, description="列名")
    value: Any = Field(None, description="原值")
    message: str = Field(description="错误说明")


class ChangeOut(Schema):
    """变更示例：记录键、字段、旧值、新值。"""

    key: Any = Field(description="记录（自然键）")
    field: str = Field(description="字段")
    old: Any = Field(None, description="旧值")
    new: Any = Field(None, description="新值")


class BatchOut(ApiSchema):
    """一次导入（导入记录）。"""

    id: int
    dataset: str = Field(description="数据类型：" + "、".join(DATASETS))
    dataset_label: str = Field(description="数据类型中文名")
    file_name: str
    file_sha256: str
    file_size: int = Field(description="文件大小（字节）")
    user: str | None = Field(None, description="导入人用户名")
    school: Ref | None = Field(None, description="指定的学校（未指定为 null）")
    sheet: str = Field(description="工作表（空表示按默认）")
    created: dt.datetime
    finished: dt.datetime | None = None
    status: Choice = Field(
        description="状态：" + "、".join(f"{c} {label}" for c, label in ImportBatch.Status.choices)
    )
    progress: int = Field(description="进度（0–100）")
    progress_text: str
    is_running: bool = Field(description="是否仍在后台处理（预检或导入中）")
    can_commit: bool = Field(description="是否可以提交导入")
    new: int = Field(description="新增行数")
    changed: int = Field(description="变更行数")
    unchanged: int = Field(description="无变化行数")
    invalid: int = Field(description="有误行数")
    only_valid: bool = Field(description="是否仅导入了正确的行")
    committed_rows: int = Field(description="已写入行数")
    message: str = Field(description="失败原因或说明")

    @staticmethod
    def resolve_user(obj: ImportBatch) -> str | None:
        return obj.user.username if obj.user_id else None

    @staticmethod
    def resolve_school(obj: ImportBatch) -> dict[str, Any] | None:
        return {"id": obj.school_id, "name": obj.school.name} if obj.school_id else None

    @staticmethod
    def resolve_dataset_label(obj: ImportBatch) -> str:
        cfg = DATASETS.get(obj.dataset)
        return str(cfg.label) if cfg is not None else obj.dataset


class BatchDetailOut(BatchOut):
    """一次导入的状态、计数、提示、变更示例和前若干条错误。"""

    warnings: list[str] = Field(description="提示（如忽略的未知列）")
    sample_changes: list[ChangeOut] = Field(description="变更示例")
    error_count: int = Field(description="错误总条数")
    errors: list[ImportError_] = Field(
        description=f"前 {ERRORS_INLINE} 条错误；全部见 /imports/{{id}}/errors"
    )
    errors_file_url: str | None = Field(None, description="错误文件（xlsx，含“错误说明”列）的下载地址")

    @staticmethod
    def resolve_warnings(obj: ImportBatch) -> list[str]:
        return [str(w) for w in obj.warnings or []]

    @staticmethod
    def resolve_sample_changes(obj: ImportBatch) -> list[dict[str, Any]]:
        return list(obj.sample_changes or [])

    @staticmethod
    def resolve_error_count(obj: ImportBatch) -> int:
        return len(obj.error_list())

    @staticmethod
    def resolve_errors(obj: ImportBatch, context: Any) -> list[dict[str, Any]]:
        return shown_errors(request_user(context), obj.error_list()[:ERRORS_INLINE])

    @staticmethod
    def resolve_errors_file_url(obj: ImportBatch) -> str | None:
        return reverse("imports:errors", args=[obj.pk]) if obj.error_list() else None


class CommitIn(Schema):
    only_valid: bool = Field(
        False, description="true：仅导入正确的行；false：全部导入（文件中有误行时不允许，返回 409）"
    )


class Detail(Schema):
    detail: str


class BatchFilter(Schema):
    dataset: str | None = Field(None, description="数据类型：" + "、".join(DATASETS))
    status: str | None = Field(None, description="状态：" + "、".join(ImportBatch.Status.values))


# ---------------------------------------------------------------- helpers


def visible_batches(user: Any) -> Any:
    return ImportBatch.objects.visible_to(user).select_related("user", "school")


def get_batch(request: HttpRequest, batch_id: int) -> ImportBatch:
    return get_object_or_404(visible_batches(api_user(request)), pk=batch_id)


def require_writer(user: Any) -> None:
    if not user.may_write():
        raise HttpError(403, READ_ONLY_MESSAGE)


def resolve_school(user: Any, code: str | None) -> School | None:
    """The school of the upload: a school administrator's own; else the visible school with that code."""
    own = fixed_school(user)
    if own is not None:
        if code and code != own.code:
            raise HttpError(403, "学校管理员只能导入本校数据")
        return own
    if not code:
        return None
    school = School.objects.visible_to(user).filter(code=code.strip()).first()  # type: ignore[attr-defined]
    if school is None:
        raise HttpError(404, f"学校标识码“{code}”不存在或不在您的数据权限范围内")
    return school


def run(batch: ImportBatch, action: str, **kwargs: Any) -> None:
    try:
        if services.needs_background(batch):
            services.run_in_background(batch, action, **kwargs)
        elif action == "preview":
            services.preview(batch)
        else:
            services.commit(batch, kwargs["user"], only_valid=kwargs["only_valid"])
    except REFUSED as exc:
        raise HttpError(400, exc.message)


# ---------------------------------------------------------------- endpoints


@router.post(
    "/imports",
    response={201: BatchDetailOut, 400: Detail, 403: Detail, 404: Detail},
    summary="上传文件并预检",
    operation_id="create_import",
)
def create_import(
    request: HttpRequest,
    dataset: str = Form(..., description="数据类型：" + "、".join(DATASETS)),
    file: UploadedFile = File(..., description="Excel（.xlsx、.xls）或 CSV 文件"),  # noqa: B008
    school_code: str | None = Form(None, description="学校标识码（学校管理员可省略，固定为本校）"),
    sheet: str | None = Form(None, description="工作表名（省略则读取第一个有数据的工作表）"),
) -> Any:
    """上传一个文件：小文件立即预检，返回计数和错误；大文件在后台预检（`is_running` 为 true），
    用 `GET /api/imports/{id}` 查询进度。预检不改动数据库，确认后调用 commit。"""
    user = api_user(request)
    require_writer(user)
    if dataset not in DATASETS:
        raise HttpError(400, f"没有这种数据类型：{dataset}（可用：{'、'.join(DATASETS)}）")
    try:
        check_file_name(file.name or "")
    except forms.ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages))
    school = resolve_school(user, school_code)
    try:
        batch = services.create_batch(user, dataset, file, file.name, school=school, sheet=(sheet or None))
    except REFUSED as exc:
        raise HttpError(400, exc.message)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or READ_ONLY_MESSAGE)
    run(batch, "preview")
    batch.refresh_from_db()
    return 201, batch


@router.get("/imports", response=list[BatchOut], summary="导入记录列表", operation_id="list_imports")
@paginate(PagePagination)
def list_imports(request: HttpRequest, filters: BatchFilter = Query(...)) -> Any:  # noqa: B008
    """当前用户数据权限范围内的导入记录，最新的在前；分页返回。"""
    qs = visible_batches(api_user(request))
    if filters.dataset:
        qs = qs.filter(dataset=filters.dataset)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-created", "-pk")


@router.get(
    "/imports/templates/{dataset}",
    response={200: None, 404: Detail},
    summary="下载导入模板（xlsx）",
    operation_id="get_import_template",
    openapi_extra={"responses": {200: {"description": "xlsx 模板", "content": {XLSX: {}}}}},
)
def get_template(request: HttpRequest, dataset: str = Path(..., description="数据类型")) -> Any:  # noqa: B008
    """某类数据的空白导入模板（第一行为中文表头）。"""
    cfg = DATASETS.get(dataset)
    if cfg is None:
        return 404, {"detail": f"没有这种数据类型：{dataset}"}
    return attachment(cfg.template_workbook(), f"{cfg.label}导入模板.xlsx", XLSX)


@router.get(
    "/imports/{id}",
    response=BatchDetailOut,
    summary="导入状态与预检结果",
    operation_id="get_import",
)
def get_import(request: HttpRequest, id: int) -> Any:  # noqa: A002
    """状态、进度、计数、提示、变更示例和前 50 条错误；不在数据权限范围内时返回 404。"""
    return get_batch(request, id)


@router.get(
    "/imports/{id}/errors",
    response=list[ImportError_],
    summary="错误明细（分页）",
    operation_id="list_import_errors",
)
@paginate(PagePagination)
def list_errors(request: HttpRequest, id: int) -> Any:  # noqa: A002
    """全部错误：工作表、行号、列、值、说明；分页返回。"""
    return shown_errors(api_user(request), get_batch(request, id).error_list())


@router.post(
    "/imports/{id}/commit",
    response={200: BatchDetailOut, 202: BatchDetailOut, 403: Detail, 409: Detail},
    summary="确认导入",
    operation_id="commit_import",
)
def commit_import(request: HttpRequest, id: int, body: CommitIn) -> Any:  # noqa: A002
    """把预检过的数据在一个事务中写入。大文件在后台导入（返回 202，`is_running` 为 true）。"""
    user = api_user(request)
    require_writer(user)
    batch = get_batch(request, id)
    if not batch.can_commit:
        raise HttpError(409, f"这批数据当前不能导入（状态：{batch.get_status_display()}）")
    if batch.invalid and not body.only_valid:
        raise HttpError(
            409, f"文件中有 {batch.invalid} 行有误：请用 only_valid=true 仅导入正确的行，或修改后重新上传"
        )
    run(batch, "commit", user=user, only_valid=body.only_valid)
    batch.refresh_from_db()
    return (202 if batch.is_running else 200), batch
