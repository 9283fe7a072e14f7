"""责任单位 of a task paragraph, lead first.

Forms read: "（责任单位：县委教育工委、县委宣传部、团县委）", "（牵头单位：A；配合单位：B、C）",
"责任部门：A、B。" written at the end without brackets, and "（A牵头，B、C配合）". Names are split on
、，,；; and kept in the document's order, leads (责任/牵头/主体/实施) before co-operating units (配合/参与/
协同/协办).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LABEL = re.compile(
    r"(?P<label>责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|参与单位|参与部门|协同单位|协同部门|"
    r"协办单位|责任主体|实施单位|主责单位)\s*[:：]"
)
LEAD_SUFFIX = re.compile(
    r"[（(](?P<lead>[^（）()]{2,80}?)牵头(?:[，,、；;]\s*(?P<co>[^（）()]{2,200}?)(?:配合|参与|协同|协办))?\s*[）)]\s*[。.]?\s*$"
)
CO_LABEL = ("配合", "参与", "协同", "协办")
SPLIT = re.compile(r"[、，,；;]+")
MAX_NAME = 40


@dataclass
class Units:
    names: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the 责任单位 text is, to cut it off
    rejected: list[str] = field(default_factory=list)  # pieces too long to be a unit's name


def _closing(text: str, open_at: int) -> int:
    """Index of the bracket closing the one at ``open_at`` (nested brackets allowed), or len(text)."""
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] in "（(":
            depth += 1
        elif text[k] in "）)":
            depth -= 1
            if depth == 0:
                return k
    return len(text)


def _names(text: str) -> list[str]:
    out = []
    for piece in SPLIT.split(text):
        name = re.sub(r"\s+", "", piece).strip("。.：:")
        if name.endswith("等") and len(name) > 3:
            name = name[:-1]
        if name:
            out.append(name)
    return out


def _segments(content: str) -> tuple[list[str], list[str]]:
    leads: list[str] = []
    cos: list[str] = []
    labels = list(LABEL.finditer(content))
    for n, m in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(content)
        names = _names(content[m.end() : end])
        (cos if m.group("label").startswith(CO_LABEL) else leads).extend(names)
    return leads, cos


def find_units(text: str) -> Units:
    found = Units()
    leads: list[str] = []
    cos: list[str] = []
    pos = 0
    while (m := LABEL.search(text, pos)) is not None:
        start = m.start()
        before = text[:start].rstrip()
        if before.endswith(("（", "(")):
            open_at = len(before) - 1
            close = _closing(text, open_at)
            content, span = text[start:close], (open_at, min(close + 1, len(text)))
        else:
            stop = re.search(r"[。\n]", text[start:])
            end = start + stop.start() if stop else len(text)
            content, span = text[start:end], (start, min(end + 1, len(text)))
        lead, co = _segments(content)
        leads.extend(lead)
        cos.extend(co)
        found.spans.append(span)
        pos = span[1]
    if not found.spans and (s := LEAD_SUFFIX.search(text)) is not None:
        leads.extend(_names(s.group("lead")))
        cos.extend(_names(s.group("co") or ""))
        found.spans.append((s.start(), len(text)))
    for name in [*leads, *cos]:
        if len(name) > MAX_NAME:
            found.rejected.append(name)
        elif name not in found.names:
            found.names.append(name)
    return found


def without_units(text: str, units: Units) -> str:
    for start, end in sorted(units.spans, reverse=True):
        text = text[:start] + text[end:]
    return text.strip()
