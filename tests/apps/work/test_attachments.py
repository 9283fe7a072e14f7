"""Attachments: checked before anything is stored, stored in the configured storage, served inside scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edubrain.work import attachments
from edubrain.work.models import Attachment

from .conftest import PDF_BYTES, pdf_upload, png_upload


@pytest.fixture
def units(demo):
    users = demo.users
    return {"unit": users["reporter"].org_unit, "school": users["school"].org_unit, "users": users}


def test_saved_files_land_in_the_attachment_storage(units, attachment_dir):
    saved = attachments.save_uploads(
        [pdf_upload(), png_upload()],
        org_unit=units["unit"],
        user=units["users"]["reporter"],
        purpose="evidence",
    )
    assert [a.name for a in saved] == ["佐证材料.pdf", "现场照片.png"]
    first = Attachment.objects.get(pk=saved[0].pk)
    assert first.size == len(PDF_BYTES) and first.content_type == "application/pdf"
    assert first.uploaded_by == units["users"]["reporter"]
    stored = attachment_dir / first.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert first.sha256 in first.file.name


def test_one_bad_file_refuses_the_whole_upload(units):
    before = Attachment.objects.count()
    fake = SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError) as exc:
        attachments.save_uploads(
            [pdf_upload(), fake], org_unit=units["unit"], user=units["users"]["reporter"], purpose="evidence"
        )
    assert "附件“整改报告.pdf”" in exc.value.messages[0] and "可执行程序" in exc.value.messages[0]
    assert Attachment.objects.count() == before


def test_too_big_is_refused_with_the_limit(units, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "ATTACHMENT_MAX_BYTES": len(PDF_BYTES)}
    ok = attachments.save_uploads(
        [pdf_upload()], org_unit=units["unit"], user=units["users"]["reporter"], purpose="evidence"
    )
    assert len(ok) == 1
    big = SimpleUploadedFile("大.pdf", PDF_BYTES + b"%")
    with pytest.raises(ValidationError, match="超过上限"):
        attachments.save_uploads([big], org_unit=units["unit"], user=None, purpose="evidence")


def test_too_many_files_at_once(units):
    files = [pdf_upload(f"{i}.pdf") for i in range(attachments.MAX_FILES + 1)]
    with pytest.raises(ValidationError, match="最多上传"):
        attachments.save_uploads(files, org_unit=units["unit"], user=None, purpose="evidence")


def test_served_only_inside_scope(client, units):
    saved = attachments.save_uploads(
        [pdf_upload()], org_unit=units["unit"], user=units["users"]["reporter"], purpose="evidence"
    )[0]
    url = reverse("work:attachment", args=[saved.pk])
    client.force_login(units["users"]["reporter"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(units["users"]["admin"])  # the county bureau sees every unit
    assert client.get(url).status_code == 200
    client.force_login(units["users"]["school"])  # a school is outside the 县财政局's scope
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_rows_for_templates(units):
    saved = attachments.save_uploads([png_upload()], org_unit=units["school"], user=None, purpose="finding")
    [row] = attachments.rows(saved)
    assert row["is_image"] and row["purpose_label"] == "问题照片" and row["size_label"].endswith("B")
    assert row["url"] == reverse("work:attachment", args=[saved[0].pk])
