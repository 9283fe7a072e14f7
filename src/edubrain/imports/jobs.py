"""Background imports: ``run_in_background`` starts ``edubrain import-job BATCH ACTION`` in its own process
(it outlives the request); the job updates ``progress``/``progress_text`` so the page can poll.

With ``settings.EDUBRAIN["IMPORT_JOBS_SYNC"]`` the job runs inline (tests)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from edubrain.base.background import spawn


def set_progress(batch: Any, pct: int, text: str, *, status: str | None = None) -> None:
    """Store progress at once (an UPDATE of three columns, visible to the page polling it)."""
    batch.progress, batch.progress_text = max(0, min(100, int(pct))), text[:200]
    fields = {"progress": batch.progress, "progress_text": batch.progress_text}
    if status:
        batch.status = fields["status"] = status
    type(batch).objects.filter(pk=batch.pk).update(**fields)


def run_job(batch_id: int, action: str, *, user_id: int | None = None, only_valid: bool = False) -> Any:
    """Run one action for a batch; any failure leaves the batch ``failed`` with a Chinese message."""
    from django.contrib.auth import get_user_model

    from edubrain.imports import services
    from edubrain.imports.models import ImportBatch, ImportStatus

    batch = ImportBatch.objects.select_related("user", "school__org_unit").get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else batch.user
    try:
        if action == "preview":
            return services.preview(batch)
        if batch.status in (ImportStatus.UPLOADED, ImportStatus.COMMITTING) and batch.total == 0:
            services.preview(batch)
            if batch.status == ImportStatus.FAILED:
                return batch
        return services.commit(batch, user, only_valid=only_valid)
    except Exception as exc:  # noqa: BLE001 - the job must always end in a visible state
        batch.status, batch.finished = ImportStatus.FAILED, timezone.now()
        batch.message = str(getattr(exc, "message", None) or exc) or "导入失败"
        batch.save()
        return batch


def run_in_background(batch: Any, action: str, **kw: Any) -> None:
    """Start the job (``action`` is "preview" or "commit"; for commit: ``user``, ``only_valid``)."""
    from edubrain.imports.models import ImportStatus

    if action not in ("preview", "commit"):
        raise ValueError(f"未知的导入操作“{action}”")
    user = kw.get("user")
    user_id = getattr(user, "pk", None)
    only_valid = bool(kw.get("only_valid", False))
    status = ImportStatus.PREVIEWING if action == "preview" else ImportStatus.COMMITTING
    set_progress(batch, 1, "已排队，等待后台处理", status=status)
    if settings.EDUBRAIN.get("IMPORT_JOBS_SYNC"):
        run_job(batch.pk, action, user_id=user_id, only_valid=only_valid)
        batch.refresh_from_db()
        return
    args = ["import-job", str(batch.pk), action]
    if user_id:
        args += ["--user-id", str(user_id)]
    if only_valid:
        args.append("--only-valid")
    spawn(*args)
