"""Words and number forms the plan parser shares: Chinese numerals, the five-year-plan periods, quantities
("55%", "1.7万人", "1—2个", "≥95"), unit words and the bracketed unit of an indicator name."""

from __future__ import annotations

import re

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUMERAL = r"[零〇一二两三四五六七八九十百]+"
NUM = r"\d+(?:\.\d+)?"
DASH = r"[—–\-－~～至到]"

# Units a quantity of a target may carry, longest first (so "个百分点" wins over "个").
UNITS = (
    "个百分点", "百分点", "万人次", "万平方米", "平方米", "万人", "人次", "万元", "亿元", "课时", "学时",
    "小时", "分钟", "%", "％", "‰", "人", "元", "个", "所", "家", "项", "年", "次", "名", "处", "座",
    "间", "门", "倍", "岁", "节", "册", "台",
)  # fmt: skip
UNIT_RE = "|".join(re.escape(u) for u in UNITS)
QUANTITY = re.compile(rf"(?P<low>{NUM})(?:\s*{DASH}\s*(?P<high>{NUM}))?\s*(?P<unit>{UNIT_RE})")
# a bracketed indicator unit: （万人） （%） (年) （个百分点） （元/生）
NAME_UNIT = re.compile(
    r"[（(]\s*(?P<unit>%|％|‰|[万亿千]?(?:人次|人|元|册|台|平方米)(?:/(?:生|人|班|校))?|年|岁|个|所|家|项|次|"
    r"倍|小时|课时|学时|个百分点|间|座|张|门|名|班|m²|㎡)\s*[）)]\s*$"
)
VALUE = re.compile(
    rf"^(?P<pre>[≥≤>＞<＜]=?|不低于|不少于|不高于|不超过|达到)?\s*(?P<low>{NUM})(?:\s*{DASH}\s*(?P<high>{NUM}))?"
    rf"\s*(?P<unit>{UNIT_RE})?\s*(?P<post>以上|及以上|以下|及以下|以内|左右)?$"
)
MISSING = re.compile(r"^[—–\-－/／\\×xX*]*$")


def cn_number(text: str) -> int | None:
    """一 → 1, 十四 → 14, 二十一 → 21, 一百零五 → 105; Arabic digits pass through; None when not a numeral."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or not re.fullmatch(CN_NUMERAL, text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[ch]
    return total + current


def five_year_period(ordinal: int) -> tuple[int, int] | None:
    """The years of the n-th national five-year plan: 十四五 → (2021, 2025). From the third (1966–1970) the
    plans follow each other without gaps; the first two are 1953–1957 and 1958–1962."""
    if ordinal == 1:
        return 1953, 1957
    if ordinal == 2:
        return 1958, 1962
    if ordinal < 1:
        return None
    start = 1966 + 5 * (ordinal - 3)
    return start, start + 4


def number(text: str) -> int | float:
    """ "16" → 16, "99.0" → 99.0: a number as the document writes it (a decimal point keeps a float)."""
    return float(text) if "." in text else int(text)


def norm_unit(unit: str) -> str:
    return {"％": "%", "百分点": "个百分点"}.get(unit, unit)


def split_name_unit(name: str) -> tuple[str, str | None]:
    """ "幼儿园在园人数（万人）" → ("幼儿园在园人数", "万人"); a bracket that is not a unit stays in
    the name."""
    m = NAME_UNIT.search(name)
    if not m:
        return name.strip(), None
    return name[: m.start()].strip(), norm_unit(m.group("unit"))


def squash(text: str) -> str:
    """Text without any blanks (table cells and headings are compared this way)."""
    return re.sub(r"\s+", "", text)
