"""附件下载 (``work:attachment``): served only inside the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from edubrain.work import attachments


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, pk)
