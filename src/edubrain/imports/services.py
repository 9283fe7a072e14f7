"""The import action layer: store a file, preview it against the database, commit it in one transaction.

create_batch(user, dataset, file, file_name, *, school=None, sheet=None, options=None) -> ImportBatch
preview(batch) -> ImportBatch                 read + validate + resolve + diff; writes no registry row
commit(batch, user, *, only_valid) -> ImportBatch    one transaction of bulk writes, audited
error_workbook(batch) -> bytes                the original rows with a 错误说明 column
run_in_background(batch, action, **kw)        a separate process (``edubrain import-job``)
needs_background(batch) -> bool               more rows than EDUBRAIN["IMPORT_BACKGROUND_ROWS"]
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from edubrain.accounts.models import Role
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import user_scope_path
from edubrain.imports.analysis import Analysis, analyse, cached_analysis, forget, load_sheets
from edubrain.imports.datasets import DATASETS
from edubrain.imports.jobs import run_in_background, set_progress
from edubrain.imports.models import ImportBatch, ImportStatus
from edubrain.imports.writing import write_analysis

__all__ = [
    "ImportRefused",
    "commit",
    "create_batch",
    "error_workbook",
    "needs_background",
    "preview",
    "run_in_background",
]


class ImportRefused(ValueError):
    """The import cannot go ahead (too large, unknown dataset, invalid rows…); ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_importer(user: Any) -> None:
    """Leaders (read-only) and users without a usable scope may not import."""
    if user is None or getattr(user, "is_superuser", False):
        return
    if user_scope_path(user) is None:
        raise PermissionDenied("您的账号未启用或未指定所属机构，不能导入数据")
    if user.role == Role.LEADER or not user.may_write():
        raise PermissionDenied("您的角色为只读（领导），不能导入数据")


def _size_of(file: Any) -> int:
    if isinstance(file, str | Path):
        return Path(file).stat().st_size
    return int(getattr(file, "size", 0) or 0)


def _chunks(file: Any) -> Any:
    if isinstance(file, str | Path):
        with open(file, "rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk
    elif hasattr(file, "chunks"):
        yield from file.chunks()
    else:
        yield file.read()


def _store(file: Any, file_name: str) -> tuple[Path, str, int]:
    folder = Path(settings.EDUBRAIN["IMPORT_DIR"]) / timezone.now().strftime("%Y%m")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:10]}"
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        for chunk in _chunks(file):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return target, digest.hexdigest(), size


def limit_message(limit: int) -> str:
    return f"文件超过大小上限 {limit / 1024 / 1024:.0f} MB，请拆分后分批导入"


def _home_unit(user: Any, school: Any) -> OrgUnit:
    if school is not None:
        return school.org_unit
    unit = user.scope_unit() if user is not None and not user.is_superuser else None
    if unit is not None:
        return unit
    code = settings.EDUBRAIN.get("COUNTY_DIVISION_CODE", "")
    counties = OrgUnit.objects.filter(kind=OrgKind.COUNTY)
    found = counties.filter(division_code=code).first() or counties.first() or OrgUnit.objects.first()
    if found is None:
        raise ImportRefused("系统中还没有组织机构，请先建立县（区）")
    return found


def create_batch(
    user: Any,
    dataset: str,
    file: Any,
    file_name: str,
    *,
    school: Any = None,
    sheet: str | None = None,
    options: dict[str, Any] | None = None,
) -> ImportBatch:
    """Check the user and the size, store the file (SHA-256) and record an ``uploaded`` batch."""
    if dataset not in DATASETS:
        raise ImportRefused(f"未知的数据集“{dataset}”，可选：{'、'.join(DATASETS)}")
    check_importer(user)
    limit = int(settings.EDUBRAIN["IMPORT_MAX_BYTES"])
    if _size_of(file) > limit:
        raise ImportRefused(limit_message(limit))
    if user is not None and getattr(user, "role", "") == Role.SCHOOL_ADMIN and not user.is_superuser:
        own = getattr(user.scope_unit(), "school", None)
        if school is not None and own is not None and school.pk != own.pk:
            raise PermissionDenied("学校管理员只能导入本校的数据")
        school = own
    path, sha, size = _store(file, file_name)
    if size > limit:
        path.unlink(missing_ok=True)
        raise ImportRefused(limit_message(limit))
    return ImportBatch.objects.create(
        dataset=dataset,
        file_name=Path(file_name).name[:255],
        file_sha256=sha,
        file_size=size,
        file_path=str(path),
        user=user,
        org_unit=_home_unit(user, school),
        school=school,
        sheet=sheet or "",
        options=options or {},
    )


def _fail(batch: ImportBatch, message: str, *, file_error: bool = False) -> ImportBatch:
    batch.status, batch.message, batch.finished = ImportStatus.FAILED, message, timezone.now()
    batch.file_error = batch.file_error or file_error
    batch.save()
    return batch


def _record(batch: ImportBatch, result: Analysis) -> None:
    batch.total, batch.invalid = result.total, result.invalid
    batch.new, batch.changed, batch.unchanged = result.new, result.changed, result.unchanged
    batch.warnings, batch.errors, batch.sample_changes = result.warnings, result.errors, result.samples
    batch.file_error = result.file_error


def preview(batch: ImportBatch) -> ImportBatch:
    """Read, validate, resolve and diff; the batch ends ``previewed`` (or ``failed`` when unreadable)."""
    set_progress(batch, 5, "正在读取文件", status=ImportStatus.PREVIEWING)
    result = analyse(batch, progress=lambda pct, text: set_progress(batch, pct, text))
    _record(batch, result)
    if result.file_error:
        return _fail(batch, result.message, file_error=True)
    batch.status, batch.progress, batch.message = ImportStatus.PREVIEWED, 100, ""
    batch.progress_text = "预检完成"
    batch.finished = timezone.now()
    batch.save()
    return batch


def commit(batch: ImportBatch, user: Any, *, only_valid: bool = False) -> ImportBatch:
    """Write every valid row in one transaction (refused while rows are invalid unless ``only_valid``)."""
    check_importer(user)
    if batch.status not in (ImportStatus.PREVIEWED, ImportStatus.UPLOADED, ImportStatus.COMMITTING):
        raise ImportRefused(f"该导入记录状态为“{batch.get_status_display()}”，不能导入")
    result = cached_analysis(batch)
    if result is None:
        set_progress(batch, 5, "正在重新读取并校验文件", status=ImportStatus.COMMITTING)
        result = analyse(batch, progress=lambda pct, text: set_progress(batch, min(pct, 60), text))
    _record(batch, result)
    if result.file_error:
        return _fail(batch, result.message, file_error=True)
    if result.invalid and not only_valid:
        batch.status = ImportStatus.PREVIEWED
        batch.save()
        raise ImportRefused(f"文件中有 {result.invalid} 行有误，请修正后重新导入，或选择“仅导入正确的行”")
    batch.only_valid = only_valid
    set_progress(batch, 60, f"正在写入 {result.new + result.changed:,} 行", status=ImportStatus.COMMITTING)
    try:
        written = write_analysis(batch, result, user)
    except Exception as exc:  # noqa: BLE001 - any failure: nothing written, the batch says why
        forget(batch)
        return _fail(batch, f"导入失败，数据库未作任何修改：{exc}")
    forget(batch)
    batch.committed_rows = written
    batch.status, batch.progress, batch.progress_text = ImportStatus.COMMITTED, 100, "导入完成"
    batch.finished, batch.message = timezone.now(), ""
    batch.save()
    return batch


def error_workbook(batch: ImportBatch) -> bytes:
    """The rows that have errors, as read from the file, with a 错误说明 column (xlsx)."""
    from edubrain.imports.workbook import error_workbook as build

    sheets = load_sheets(batch, quiet=True)
    return build(sheets, batch.error_list())


def needs_background(batch: ImportBatch) -> bool:
    """Estimate the rows (CSV: line count; spreadsheets: ~50 bytes per row) against the threshold."""
    threshold = int(settings.EDUBRAIN["IMPORT_BACKGROUND_ROWS"])
    path = Path(batch.file_path)
    if not path.exists():
        return False
    if path.suffix.lower() in (".csv", ".txt"):
        with open(path, "rb") as fh:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    else:
        rows = batch.file_size // 50
    return rows > threshold
