"""附件类型检查 (attachment type checks): a file is accepted only when its extension is allowed *and* its
content is what the extension promises — an executable renamed ``.pdf`` is refused, so is an empty file or
one over the size limit. Pure: bytes in, a verdict out (``filetype`` reads the magic numbers).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import filetype

# extension → MIME type served, and the detected kinds (filetype's extension names) its content may have
EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    ".pdf": ("application/pdf", ("pdf",)),
    ".jpg": ("image/jpeg", ("jpg",)),
    ".jpeg": ("image/jpeg", ("jpg",)),
    ".png": ("image/png", ("png",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("zip", "docx")),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("zip", "xlsx")),
    ".doc": ("application/msword", ("ole",)),
    ".xls": ("application/vnd.ms-excel", ("ole",)),
    ".txt": ("text/plain; charset=utf-8", ("text",)),
}
# the part an Office Open XML package of this kind must contain
OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_KINDS = {"exe", "elf", "dmg", "msi", "deb", "rpm", "dex", "class", "sqlite"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}


class FileRejected(ValueError):
    """A refused upload; ``str(exc)`` is the Chinese reason (the caller adds the file name)."""


@dataclass(frozen=True)
class FileVerdict:
    extension: str
    content_type: str
    is_image: bool


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def size_label(size: int) -> str:
    """1536 → "1.5 KB"; sizes as a clerk reads them."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def detected_kind(data: bytes) -> str:
    """What the content is: a filetype extension name, "ole" (legacy Office), "text", or "" (unknown)."""
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data[:2] == b"MZ":
        return "exe"
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return str(kind.extension)
    if b"\x00" in data[:8192]:
        return ""
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "text"
    return ""


def _ooxml_ok(data: bytes, extension: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return OOXML_PART[extension] in names


def check_file(name: str, data: bytes, *, allowed: Sequence[str], max_bytes: int) -> FileVerdict:
    """Accept ``data`` as the file ``name`` or raise ``FileRejected`` saying why."""
    extension = extension_of(name)
    accepted = [e for e in allowed if e in EXPECTED]
    if extension not in accepted:
        listed = "、".join(e.lstrip(".") for e in accepted)
        shown = extension.lstrip(".") or "无扩展名"
        raise FileRejected(f"不支持的文件类型（{shown}），只接受：{listed}")
    if not data:
        raise FileRejected("文件是空的")
    if len(data) > max_bytes:
        raise FileRejected(f"文件大小 {size_label(len(data))}，超过上限 {size_label(max_bytes)}")
    content_type, kinds = EXPECTED[extension]
    kind = detected_kind(data)
    if kind in EXECUTABLE_KINDS:
        raise FileRejected(f"文件内容是可执行程序，不是 {extension.lstrip('.')} 文件，已拒收")
    if kind not in kinds or (extension in OOXML_PART and not _ooxml_ok(data, extension)):
        found = f"实际内容为 {kind}" if kind and kind != "text" else "内容无法识别"
        raise FileRejected(
            f"文件内容与扩展名 {extension} 不符（{found}），请上传真实的 {extension.lstrip('.')} 文件"
        )
    return FileVerdict(extension=extension, content_type=content_type, is_image=extension in IMAGE_EXTENSIONS)
