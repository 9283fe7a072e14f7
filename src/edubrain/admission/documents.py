"""证明材料 (documents) a parent uploads: photos of the 户口本, 房产证/租赁合同, 居住证, 优抚证明.

Images only (.jpg/.jpeg/.png, the content checked against the extension by ``core.work.filetypes``), each at
most ``ADMISSION_PHOTO_MAX_BYTES``, at most ``MAX_FILES_PER_KIND`` per kind. ``check_files`` reads and checks
without saving (so an application can collect every error before writing anything); ``save_documents`` checks
and stores all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from edubrain.admission.models import Application, ApplicationDocument
from edubrain.base.uploads import CheckedUpload, check_uploads, present
from edubrain.core.work.filetypes import size_label

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
MAX_FILES_PER_KIND = 6
ACCEPT = ",".join(IMAGE_EXTENSIONS)


def max_bytes() -> int:
    return int(settings.EDUBRAIN.get("ADMISSION_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def limit_text() -> str:
    """“jpg、png 照片，每张不超过 5.0 MB，最多 6 张” — shown beside every file input."""
    return f"jpg、png 照片，每张不超过 {size_label(max_bytes())}，最多 {MAX_FILES_PER_KIND} 张"


def kind_label(kind: str) -> str:
    return str(ApplicationDocument.Kind(kind).label)


def check_files(files: Sequence[Any], *, kind: str) -> tuple[list[CheckedUpload], list[str]]:
    """The accepted files of one kind and the Chinese reasons of the refused ones (naming each file)."""
    if kind not in ApplicationDocument.Kind.values:
        return [], [f"材料类型“{kind}”无效，请从列表中选择"]
    label = kind_label(kind)
    files = present(files)
    if len(files) > MAX_FILES_PER_KIND:
        return [], [f"{label}最多上传 {MAX_FILES_PER_KIND} 张照片（本次 {len(files)} 张）"]
    return check_uploads(files, allowed=IMAGE_EXTENSIONS, max_bytes=max_bytes(), what=f"{label}照片")


def store(
    application: Application, checked: Sequence[CheckedUpload], *, kind: str, supplement: bool
) -> list[ApplicationDocument]:
    """Write already checked files (the caller holds the transaction)."""
    now = timezone.now()
    saved = []
    for item in checked:
        document = ApplicationDocument(
            application=application,
            kind=kind,
            name=item.name[-200:],
            extension=item.verdict.extension,
            content_type=item.verdict.content_type,
            size=len(item.data),
            sha256=item.sha256,
            supplement=supplement,
            uploaded_at=now,
        )
        document.file.save(item.name, ContentFile(item.data), save=False)
        document.save()
        saved.append(document)
    return saved


def save_documents(
    application: Application, files: Sequence[Any], *, kind: str, supplement: bool
) -> list[ApplicationDocument]:
    """Check every file, then store them all; ``ValidationError`` (each refused file named) if any is bad."""
    checked, errors = check_files(files, kind=kind)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return store(application, checked, kind=kind, supplement=supplement)
