"""The plan's identity: title, issuer (印发机关), 文号 and period.

- ``title``: the first stand-alone line of the front part that names a plan (…规划 / 纲要 / 计划 / 方案,
  optionally with its years in brackets); else the name in "关于印发《…》的通知"; else the first 《…规划》.
- ``doc_number``: the first 文号 (源政字〔2023〕36号, also with [ ] 【 】 （ ） brackets) before the title.
- ``issuer``: the first line before the title that is an authority's name (…人民政府 / 局 / 委员会 / 办公室);
  else the authority signing above a date at the end of the notice; else "".
- ``period``: a year range in the title ("2021—2025年"), else 十X五 in the title (十四五 → 2021–2025),
  else "规划期…2021—2025年" in the text, else 十X五 near the start; else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edubrain.core.plan.blocks import Paragraph
from edubrain.core.plan.lexicon import cn_number, five_year_period
from edubrain.core.plan.outline import numbered

PLAN_WORDS = r"(?:规划|纲要|计划|方案)"
TITLE_LINE = re.compile(rf"^[^，。；：:!！?？]{{4,70}}{PLAN_WORDS}(?:\s*[（(][^）)]{{0,20}}[）)])?$")
NOTICE = re.compile(
    rf"关于印发\s*《?(?P<t>[^《》]{{4,70}}?{PLAN_WORDS}(?:[（(][^）)]{{0,20}}[）)])?)》?\s*的\s*通\s*知"
)
BOOK = re.compile(rf"《(?P<t>[^《》]{{4,70}}{PLAN_WORDS}(?:[（(][^）)]{{0,20}}[）)])?)》")
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fa5]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
AUTHORITY = re.compile(
    r"^[\u4e00-\u9fa5（）()]{2,40}?(?:人民政府|人民政府办公室|政府办公室|办公室|教育局|教育和体育局|教育体育局|"
    r"委员会|局|厅|委|部)$"
)
DATE_LINE = re.compile(r"^(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[—–\-－~～至到]+\s*((?:19|20)\d\d)\s*年?")
FIVE_YEAR = re.compile(r"[“\"]?十([一二三四五六七八九]?)五[”\"]?")
PERIOD_TEXT = re.compile(r"规划(?:期|期限|时限|年限)[为是:：\s]*")
FRONT_LINES = 40


@dataclass
class Meta:
    title: str
    issuer: str
    doc_number: str
    period: list[int] | None
    body_start: int  # index of the first paragraph after the title (0 when no title line was found)


def _title(paras: list[Paragraph]) -> tuple[str, int]:
    for k, p in enumerate(paras[:FRONT_LINES]):
        text = p.text.strip()
        if (
            TITLE_LINE.match(text)
            and not text.startswith(("关于", "《"))
            and "印发" not in text
            and numbered(text) is None
        ):
            return text, k + 1
    head = "\n".join(p.text for p in paras[:FRONT_LINES])
    for pattern in (NOTICE, BOOK):
        m = pattern.search(head)
        if m:
            return re.sub(r"\s+", "", m.group("t")), 0
    return "", 0


def _period_from(text: str) -> list[int] | None:
    m = YEAR_RANGE.search(text)
    if m and int(m.group(1)) < int(m.group(2)):
        return [int(m.group(1)), int(m.group(2))]
    return None


def _five_year(text: str) -> list[int] | None:
    m = FIVE_YEAR.search(text)
    if not m:
        return None
    ordinal = 10 + (cn_number(m.group(1)) or 0) if m.group(1) else 10
    years = five_year_period(ordinal)
    return list(years) if years else None


def _period(title: str, paras: list[Paragraph]) -> list[int] | None:
    found = _period_from(title) or _five_year(title)
    if found:
        return found
    for p in paras:
        m = PERIOD_TEXT.search(p.text)
        if m and (found := _period_from(p.text[m.end() : m.end() + 30])):
            return found
    head = "\n".join(p.text for p in paras[:FRONT_LINES])
    return _five_year(head)


def _issuer(front: list[Paragraph]) -> str:
    for p in front:
        text = re.sub(r"\s+", "", p.text)
        if AUTHORITY.match(text) and not text.startswith(("各", "关于")):
            return text
    for a, b in zip(front, front[1:], strict=False):
        text = re.sub(r"\s+", "", a.text)
        if DATE_LINE.match(b.text.strip()) and AUTHORITY.match(text):
            return text
    return ""


def read_meta(paras: list[Paragraph]) -> Meta:
    title, body_start = _title(paras)
    front = paras[: body_start - 1] if body_start else paras[:FRONT_LINES]
    doc = next((m.group(0) for p in front if (m := DOC_NUMBER.search(p.text))), "")
    issuer = _issuer(front)
    return Meta(title, issuer, re.sub(r"\s+", "", doc), _period(title, paras), body_start)
