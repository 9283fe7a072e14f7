"""Uploading a plan document: the county's own plan (.txt and .docx) becomes a draft to review; wrong files
are refused with a Chinese reason; only the bureau's administrators and staff may upload."""

from __future__ import annotations

import io
import zipfile
from importlib.resources import files

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edubrain.plans.models import Plan

from . import support_import as support
from .support_import import client_for

area, fast_passwords = support.area, support.fast_passwords  # fixtures

INDEX = reverse("plan_import:index")


def county_plan_text() -> bytes:
    return files("edubrain.data").joinpath("plans/yiyuan_2021_2025.txt").read_bytes()


def upload(client, name, content, area):
    return client.post(INDEX, {"file": SimpleUploadedFile(name, content), "org_unit": str(area.county.pk)})


def test_the_countys_plan_uploads_as_a_draft(area):
    client = client_for(area.users.staff)
    response = upload(client, "沂源县教育事业发展十四五规划.txt", county_plan_text(), area)
    assert response.status_code == 302
    plan = Plan.objects.get(org_unit=area.county)
    assert response["Location"] == reverse("plan_import:review", args=[plan.pk])
    assert plan.status == Plan.Status.DRAFT and plan.created_by == area.users.staff
    assert plan.source_name == "沂源县教育事业发展十四五规划.txt"
    assert plan.doc_number == "源政字〔2023〕36号" and (plan.start_year, plan.end_year) == (2021, 2025)
    assert len(plan.parsed["tasks"]) >= 40 and len(plan.parsed["projects"]) == 18
    page = client.get(response["Location"])
    assert page.status_code == 200 and "已解析" in page.content.decode()


def minimal_docx(lines: list[str]) -> bytes:
    """A Word document as Word writes its skeleton: one paragraph per line."""
    from xml.sax.saxutils import escape

    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def test_a_docx_uploads_too(area):
    content = minimal_docx(county_plan_text().decode("utf-8").splitlines())
    response = upload(client_for(area.users.admin), "规划.docx", content, area)
    assert response.status_code == 302
    plan = Plan.objects.get(org_unit=area.county)
    assert plan.doc_number == "源政字〔2023〕36号" and len(plan.parsed["tasks"]) >= 40


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("规划.doc", b"old word", "不支持旧版 Word（.doc）文件"),
        ("规划.pdf", b"%PDF-1.4", "只支持 .txt 或 .docx 文件"),
        ("规划.txt", b"", "上传的文件是空的"),
        ("规划.docx", b"this is not a zip file", "规划.docx：无法读取 Word 文档"),
    ],
)
def test_wrong_files_are_refused_in_chinese(area, name, content, message):
    response = upload(client_for(area.users.admin), name, content, area)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.filter(org_unit=area.county).exists()


def test_size_limit(area, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "PLAN_MAX_BYTES": 1024 * 1024}
    response = upload(client_for(area.users.admin), "规划.txt", b"x" * (1024 * 1024 + 1), area)
    assert response.status_code == 400
    assert "规划文件不能超过 1 MB" in response.content.decode()


def test_an_area_outside_the_users_scope_is_refused(area, demo):
    other = demo.county
    response = client_for(area.users.admin).post(
        INDEX, {"file": SimpleUploadedFile("规划.txt", county_plan_text()), "org_unit": str(other.pk)}
    )
    assert response.status_code == 400
    assert "请选择您管理范围内的区域" in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "school"])
def test_leader_and_school_admin_cannot_upload(area, who):
    client = client_for(getattr(area.users, who))
    page = client.get(INDEX)
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    response = upload(client, "规划.txt", county_plan_text(), area)
    assert response.status_code == 403
    assert not Plan.objects.filter(org_unit=area.county).exists()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and "login" in response["Location"]
