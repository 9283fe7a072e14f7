"""Uploaded files checked before anything is stored: each read up to one byte over the limit (enough to tell
an oversized file without reading all of it) and judged by ``core.work.filetypes.check_file`` (extension
allowed, content matching it, size). Work-tracking attachments and enrollment documents both use it, then
store the accepted files in their own models."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from edubrain.core.work.filetypes import FileRejected, FileVerdict, check_file


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    data: bytes
    verdict: FileVerdict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def present(files: Sequence[Any]) -> list[Any]:
    """The uploads actually given (an empty file input posts nothing or a nameless part)."""
    return [f for f in files if f is not None and getattr(f, "name", "")]


def read_upload(upload: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the upload, from its start."""
    upload.seek(0)
    return bytes(upload.read(limit + 1))


def check_uploads(
    files: Sequence[Any], *, allowed: Sequence[str], max_bytes: int, what: str
) -> tuple[list[CheckedUpload], list[str]]:
    """The accepted uploads and, for each refused one, "{what}“name”：reason" in Chinese."""
    checked: list[CheckedUpload] = []
    errors: list[str] = []
    for upload in present(files):
        data = read_upload(upload, max_bytes)
        try:
            verdict = check_file(upload.name, data, allowed=allowed, max_bytes=max_bytes)
        except FileRejected as exc:
            errors.append(f"{what}“{upload.name}”：{exc}")
            continue
        checked.append(CheckedUpload(upload.name, data, verdict))
    return checked, errors
