"""附件 (attachments) of reports, findings and key projects: checked, stored and served.

``save_uploads`` checks every file first (extension allowed, content matching the extension, size under
``EDUBRAIN["ATTACHMENT_MAX_BYTES"]``; ``core.work.filetypes``) and saves none if any is refused — the caller's
transaction then rolls back the whole action, so nothing half-written remains. Files go to the one storage
``STORAGES["attachments"]`` (a directory under var/ by default, object storage by configuration) under a
content-addressed name; the original name is kept for the download. ``serve`` hands a file only to a user
whose scope covers the attachment's unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.uploads import check_uploads, present
from edubrain.core.work.filetypes import size_label
from edubrain.work.models import Attachment

MAX_FILES = 10  # per upload


def max_bytes() -> int:
    return int(settings.EDUBRAIN.get("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def allowed_extensions() -> list[str]:
    return list(settings.EDUBRAIN.get("ATTACHMENT_EXTENSIONS", [".pdf", ".jpg", ".jpeg", ".png"]))


def accept_attribute() -> str:
    """The ``accept`` of the file input: the allowed extensions."""
    return ",".join(allowed_extensions())


def save_uploads(
    files: Sequence[Any],
    *,
    org_unit: OrgUnit,
    user: Any,
    purpose: str,
    report: Any = None,
    finding: Any = None,
    project: Any = None,
) -> list[Attachment]:
    """Check every upload, then store them all; ``ValidationError`` (naming the file) if any is refused."""
    files = present(files)
    if len(files) > MAX_FILES:
        raise ValidationError(f"一次最多上传 {MAX_FILES} 个附件（本次 {len(files)} 个）")
    checked, errors = check_uploads(files, allowed=allowed_extensions(), max_bytes=max_bytes(), what="附件")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved = []
    with transaction.atomic():
        for item in checked:
            attachment = Attachment(
                org_unit=org_unit,
                report=report,
                finding=finding,
                project=project,
                purpose=purpose,
                name=item.name[-200:],
                extension=item.verdict.extension,
                content_type=item.verdict.content_type,
                size=len(item.data),
                sha256=item.sha256,
                uploaded_by=user if getattr(user, "pk", None) else None,
                uploaded_at=now,
            )
            attachment.file.save(item.name, ContentFile(item.data), save=False)
            attachment.save()
            saved.append(attachment)
    return saved


def is_image(attachment: Attachment) -> bool:
    return attachment.extension in (".jpg", ".jpeg", ".png")


def rows(attachments: Iterable[Attachment]) -> list[dict[str, Any]]:
    """Template rows: name, link, size, purpose, time, whether it is an image (shown as a thumbnail)."""
    return [
        {
            "id": a.pk,
            "name": a.name,
            "url": reverse("work:attachment", args=[a.pk]),
            "size_label": size_label(a.size),
            "purpose_label": a.get_purpose_display(),
            "uploaded_at": a.uploaded_at,
            "is_image": is_image(a),
        }
        for a in attachments
    ]


def serve(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to a user whose scope covers it (404 otherwise); images and PDFs open in the browser."""
    attachment = get_visible_or_404(Attachment, request.user, pk=pk)
    inline = attachment.extension in (".pdf", ".jpg", ".jpeg", ".png")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
