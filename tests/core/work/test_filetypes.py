"""Attachment type checks: the extension must be allowed and the content must match it."""

from __future__ import annotations

import io
import zipfile

import pytest

from edubrain.core.work.filetypes import FileRejected, check_file, detected_kind, extension_of, size_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = [".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls", ".txt"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buffer.getvalue()


def check(name: str, data: bytes, max_bytes: int = 1000):
    return check_file(name, data, allowed=ALLOWED, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("整改报告.pdf", PDF, "application/pdf"),
        ("现场.PNG", PNG, "image/png"),
        ("现场.jpg", JPG, "image/jpeg"),
        ("现场.jpeg", JPG, "image/jpeg"),
        (
            "台账.xlsx",
            ooxml("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "报告.docx",
            ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("旧表.xls", OLE, "application/vnd.ms-excel"),
        ("旧文.doc", OLE, "application/msword"),
        ("说明.txt", "整改已完成。".encode("gbk"), "text/plain; charset=utf-8"),
    ],
)
def test_real_files_of_each_allowed_type_pass(name, data, mime):
    verdict = check(name, data)
    assert verdict.content_type == mime
    assert verdict.extension == extension_of(name)
    assert verdict.is_image == (verdict.extension in (".png", ".jpg", ".jpeg"))


@pytest.mark.parametrize("data", [EXE, ELF])
def test_an_executable_renamed_pdf_is_refused(data):
    with pytest.raises(FileRejected, match="可执行程序"):
        check("整改报告.pdf", data)


def test_content_not_matching_the_extension_is_refused():
    with pytest.raises(FileRejected, match=r"与扩展名 \.pdf 不符（实际内容为 png）"):
        check("报告.pdf", PNG)
    with pytest.raises(FileRejected, match="不符"):
        check("照片.png", b"just some text")
    # a docx package sent as .xlsx, and a bare zip as .docx
    with pytest.raises(FileRejected, match="不符"):
        check("台账.xlsx", ooxml("word/document.xml"))
    with pytest.raises(FileRejected, match="不符"):
        check("报告.docx", ooxml("other.xml"))
    with pytest.raises(FileRejected, match="不符"):
        check("说明.txt", b"\x00\x01\x02binary")


@pytest.mark.parametrize("name", ["setup.exe", "脚本.bat", "无扩展名", "archive.zip", ".pdf"])
def test_extensions_outside_the_list_are_refused(name):
    with pytest.raises(FileRejected, match="不支持的文件类型"):
        check(name, PDF)


def test_size_limit_at_just_above_and_below():
    body = PDF + b"%" * 100
    assert check("a.pdf", body, max_bytes=len(body)).extension == ".pdf"
    assert check("a.pdf", body[:-1], max_bytes=len(body)).extension == ".pdf"
    with pytest.raises(FileRejected, match="超过上限"):
        check("a.pdf", body + b"%", max_bytes=len(body))


def test_empty_file_is_refused():
    with pytest.raises(FileRejected, match="空的"):
        check("a.pdf", b"")


def test_kinds_and_labels():
    assert detected_kind(OLE) == "ole" and detected_kind(EXE) == "exe" and detected_kind(PDF) == "pdf"
    assert detected_kind("中文".encode()) == "text" and detected_kind(b"\x00\xff\xfe") == ""
    assert size_label(1023) == "1023 B" and size_label(1536) == "1.5 KB"
    assert size_label(20 * 1024 * 1024) == "20.0 MB"
