"""数据导入 pages: choose a dataset and upload, preview (counts, diff, errors), commit, history, downloads.

Every batch comes from ``ImportBatch.objects.visible_to(user)``; reading and writing go through
``imports.services`` (preview and commit run in the background for large files, with a polled progress bar).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubrain.base.listing import Column, Filter, ListConfig
from edubrain.base.masking import may_see_personal
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.views import ListPage, is_htmx_partial
from edubrain.core.errors import CoreError
from edubrain.core.ids import mask_id_number
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.imports.forms import CommitForm, UploadForm, fixed_school
from edubrain.imports.models import ImportBatch

ERRORS_SHOWN = 200
READ_ONLY_MESSAGE = "您的账号为只读账号（领导），可以查看导入记录和下载模板，但不能导入数据。"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX, "csv": CSV}
FINISHED_STATUS = 286  # htmx: stop polling
# Refusals with a Chinese ``message`` (a file too large, an unreadable file, a state that forbids the step).
REFUSED: tuple[type[Exception], ...] = (CoreError, getattr(services, "ImportRefused", CoreError))


# ---------------------------------------------------------------- helpers


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a Chinese file name (RFC 6266: an ASCII fallback and ``filename*=UTF-8''…``)."""
    response = HttpResponse(content, content_type=content_type)
    suffix = PurePath(filename).suffix
    fallback = "".join(c for c in PurePath(filename).stem if c.isascii() and (c.isalnum() or c in "-_"))
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback or 'edubrain'}{suffix}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


ID_LIKE = re.compile(r"\d{14,17}[\dXx]")


def shown_errors(user: Any, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors as this viewer may see them: 身份证号 (also inside 学籍号 and messages) masked for roles
    without the right to personal data (a leader reading a school's batch)."""
    if may_see_personal(user):
        return errors

    def mask(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return ID_LIKE.sub(lambda m: mask_id_number(m.group()), text)

    return [{k: mask(v) for k, v in e.items()} for e in errors]


def dataset_or_404(name: str) -> Any:
    try:
        return DATASETS[name]
    except KeyError:
        raise Http404("没有这种数据类型") from None


def refused(request: HttpRequest, message: str = READ_ONLY_MESSAGE) -> HttpResponse:
    """403 with the reason in Chinese (a leader's account is read-only)."""
    return render(request, "imports/forbidden.html", {"title": "不能导入", "message": message}, status=403)


def batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    return get_visible_or_404(ImportBatch, request.user, pk=pk)


def start(batch: ImportBatch, action: str, **kwargs: Any) -> None:
    """Run preview/commit now for a small file, or in the background (the page then polls progress)."""
    if services.needs_background(batch):
        services.run_in_background(batch, action, **kwargs)
    elif action == "preview":
        services.preview(batch)
    else:
        services.commit(batch, kwargs["user"], only_valid=kwargs["only_valid"])


def dataset_label(name: str) -> str:
    cfg = DATASETS.get(name)
    return str(cfg.label) if cfg is not None else name


# ---------------------------------------------------------------- upload page


def dataset_cards() -> list[dict[str, Any]]:
    cards = []
    for name, cfg in DATASETS.items():
        columns = list(getattr(cfg.spec, "columns", ()))
        cards.append(
            {
                "name": name,
                "label": cfg.label,
                "columns": len(columns),
                "required": [c.header for c in columns if getattr(c, "required", False)][:6],
                "template_url": reverse("imports:template", args=[name]),
            }
        )
    return cards


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    writer = user.may_write()
    if request.method == "POST":
        if not writer:
            return refused(request)
        form = UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            batch = upload(request, form)
            if batch is not None:
                return redirect("imports:detail", pk=batch.pk)
    else:
        initial = {"dataset": request.GET.get("dataset", "")}
        form = UploadForm(initial=initial, user=user) if writer else None
    recent = (
        ImportBatch.objects.visible_to(user).select_related("user", "school").order_by("-created", "-pk")[:10]
    )
    context = {
        "title": "数据导入",
        "form": form,
        "writer": writer,
        "read_only_message": READ_ONLY_MESSAGE,
        "fixed_school": fixed_school(user),
        "cards": dataset_cards(),
        "recent": [batch_row(b) for b in recent],
    }
    return render(
        request, "imports/index.html", context, status=400 if form is not None and form.errors else 200
    )


def upload(request: HttpRequest, form: UploadForm) -> ImportBatch | None:
    """Record the upload and start its preview; a refused file adds a form error instead."""
    data = form.cleaned_data
    upload_file = data["file"]
    try:
        batch = services.create_batch(
            request.user,
            data["dataset"],
            upload_file,
            upload_file.name,
            school=form.chosen_school(),
            sheet=data["sheet"],
        )
    except REFUSED as exc:
        form.add_error("file", exc.message)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or READ_ONLY_MESSAGE)
        return None
    try:
        start(batch, "preview")
    except REFUSED as exc:  # the batch records the failure as well; say it now
        messages.error(request, exc.message)
    return batch


# ---------------------------------------------------------------- one batch


def batch_row(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch,
        "dataset_label": dataset_label(batch.dataset),
        "url": reverse("imports:detail", args=[batch.pk]),
        "user_name": user_name(batch.user),
    }


def user_name(user: Any) -> str:
    if user is None:
        return "—"
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.username


def batch_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    errors = batch.error_list() if batch.invalid or batch.status in done_statuses() else []
    return {
        "title": f"导入 · {batch.file_name}",
        "batch": batch,
        "dataset_label": dataset_label(batch.dataset),
        "user_name": user_name(batch.user),
        "errors": shown_errors(request.user, errors[:ERRORS_SHOWN]),
        "error_count": len(errors),
        "errors_shown": ERRORS_SHOWN,
        "changes": list(batch.sample_changes or []),
        "warnings": list(batch.warnings or []),
        "writer": request.user.may_write(),
        "may_commit_all": batch.can_commit and not batch.invalid,
        "Status": ImportBatch.Status,
        "progress_url": reverse("imports:progress", args=[batch.pk]),
    }


def done_statuses() -> set[str]:
    s = ImportBatch.Status
    return {s.PREVIEWED, s.COMMITTED, s.FAILED, s.DISCARDED}


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(request, pk)
    return render(request, "imports/detail.html", batch_context(request, batch))


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (an htmx partial polled every second); when the work is done polling stops and
    the page reloads to show the preview or the result."""
    batch = batch_or_404(request, pk)
    response = render(request, "imports/_progress.html", batch_context(request, batch))
    if not batch.is_running:
        response.status_code = FINISHED_STATUS if is_htmx_partial(request) else 200
        if is_htmx_partial(request):
            response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.may_write():
        return refused(request)
    batch = batch_or_404(request, pk)
    form = CommitForm(request.POST)
    only_valid = form.is_valid() and form.cleaned_data["only_valid"]
    if not batch.can_commit:
        messages.error(request, "这批数据当前不能导入（可能已导入、已放弃或仍在处理中）。")
    elif not only_valid and batch.invalid:
        messages.error(request, "文件中有错误的行，只能选择“仅导入正确的行”，或修改文件后重新上传。")
    else:
        try:
            start(batch, "commit", user=request.user, only_valid=only_valid)
        except REFUSED as exc:
            messages.error(request, exc.message)
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.may_write():
        return refused(request)
    batch = batch_or_404(request, pk)
    if batch.status in {ImportBatch.Status.PREVIEWED, ImportBatch.Status.UPLOADED, ImportBatch.Status.FAILED}:
        discard_service = getattr(services, "discard", None)
        if discard_service is not None:
            discard_service(batch, request.user)
        else:
            batch.status = ImportBatch.Status.DISCARDED
            batch.finished = timezone.now()
            batch.save(update_fields=["status", "finished"])
        messages.info(request, "已放弃这批数据，数据库未作任何改动。")
    else:
        messages.error(request, "这批数据当前不能放弃。")
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_GET
def error_file(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(request, pk)
    stem = PurePath(batch.file_name).stem or "导入文件"
    return attachment(services.error_workbook(batch), f"{stem}_错误说明.xlsx", XLSX)


# ---------------------------------------------------------------- downloads


@login_required
@require_GET
def template(request: HttpRequest, dataset: str) -> HttpResponse:
    cfg = dataset_or_404(dataset)
    return attachment(cfg.template_workbook(), f"{cfg.label}导入模板.xlsx", XLSX)


@login_required
@require_GET
def export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    cfg = dataset_or_404(dataset)
    if fmt not in CONTENT_TYPES:
        raise Http404("只能导出 xlsx 或 csv")
    content = cfg.export(request.user, fmt=fmt)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return attachment(content, f"{cfg.label}_{stamp}.{fmt}", CONTENT_TYPES[fmt])


# ---------------------------------------------------------------- history (导入记录)


def _counts(batch: ImportBatch) -> str:
    return f"新增 {batch.new} · 变更 {batch.changed} · 无变化 {batch.unchanged} · 有误 {batch.invalid}"


def _dataset_choices(user: Any) -> list[tuple[str, str]]:
    return [(name, str(cfg.label)) for name, cfg in DATASETS.items()]


HISTORY = ListConfig(
    model=ImportBatch,
    title="导入记录",
    description="您权限范围内的每一次导入：谁、何时、哪个文件、各类行数和状态；点击文件名查看预检或导入结果。",
    columns=[
        Column("created", "上传时间", sort="created"),
        Column("user", "导入人", lambda b: user_name(b.user)),
        Column("dataset", "数据类型", lambda b: dataset_label(b.dataset), sort="dataset"),
        Column(
            "file_name", "文件名", sort="file_name", link=lambda b: reverse("imports:detail", args=[b.pk])
        ),
        Column("school", "学校", "school.name"),
        Column("new", "新增", sort="new", fmt="int"),
        Column("changed", "变更", sort="changed", fmt="int"),
        Column("unchanged", "无变化", sort="unchanged", fmt="int"),
        Column("invalid", "有误", sort="invalid", fmt="int"),
        Column("status", "状态", sort="status"),
    ],
    search_fields=["file_name", "user__username", "user__last_name", "school__name"],
    search_placeholder="文件名、导入人或学校",
    filters=[
        Filter("dataset", "数据类型", "dataset", _dataset_choices),
        Filter("status", "状态", "status", ImportBatch.Status.choices),
    ],
    default_sort=["-created"],
    select_related=["user", "school"],
    page_size=30,
)

history = ListPage.as_view(config=HISTORY)
