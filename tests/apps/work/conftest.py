"""Work-tracking tests: attachments go to a temporary directory, never to var/; small real files to upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factories import attachments_in

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    """Every test of the work app stores attachments under its own tmp_path."""
    attachments_in(settings, tmp_path / "attachments")
    return tmp_path / "attachments"


def pdf_upload(name: str = "佐证材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")
