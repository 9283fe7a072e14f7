"""招生类别 (priority tiers): the order in which a school's places go to the children of its 学区.

A round lists its tiers in priority order (``AdmissionRound.tiers``: ``[{"code", "label"}, …]``); the
county default is 户籍与房产一致 > 户籍 > 房产 > 随迁子女（居住证） > 其他（统筹安排）. A child's tier follows
from the facts the parent declares and the school verifies: 户籍在片区, 房产在片区, 持居住证.
优抚对象 (the policy categories: 现役军人子女, 烈士子女 …) are placed in the round's first tier whatever
their other facts.

When a round leaves out a tier (e.g. a county that does not separate 房产 from 户籍), a child whose facts give
that tier falls to the next lower tier the round does list, else to the round's last tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from edubrain.core.errors import CoreError


@dataclass(frozen=True)
class Tier:
    """One 招生类别: a stable code and its Chinese label."""

    code: str
    label: str


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("hukou_property", "户籍与房产一致"),
    Tier("hukou", "户籍"),
    Tier("property", "房产"),
    Tier("migrant", "随迁子女（居住证）"),
    Tier("other", "其他（统筹安排）"),
)

#: 优抚对象 categories whose children are placed in the first tier (each needs a 证明).
DEFAULT_POLICY_CATEGORIES: tuple[str, ...] = (
    "现役军人子女",
    "烈士子女",
    "消防救援人员子女",
    "公安英烈和因公牺牲伤残警察子女",
    "高层次人才子女",
)

#: The fact-derived codes from highest to lowest: the fallback order when a round omits one.
FACT_ORDER: tuple[str, ...] = tuple(t.code for t in DEFAULT_TIERS)

MAX_CODE_LENGTH = 20  # Application.tier is a CharField(max_length=20)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tiers_from_json(data: list[dict[str, Any]] | None) -> tuple[Tier, ...]:
    """The round's stored tier list as ``Tier`` values; ``None`` or ``[]`` → ``DEFAULT_TIERS``.

    Raises CoreError (code ``tiers.invalid``) naming the entry when an item is not ``{"code", "label"}`` with
    non-empty text, a code is longer than 20 characters, or a code repeats."""
    if not data:
        return DEFAULT_TIERS
    if not isinstance(data, list):
        raise CoreError("tiers.invalid", "招生类别应为列表，每项包含代码（code）和名称（label）")
    tiers: list[Tier] = []
    seen: set[str] = set()
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise CoreError("tiers.invalid", f"招生类别第{n}项应包含代码（code）和名称（label）")
        code, label = _text(item.get("code")), _text(item.get("label"))
        if not code or not label:
            raise CoreError("tiers.invalid", f"招生类别第{n}项的代码（code）和名称（label）均不能为空")
        if len(code) > MAX_CODE_LENGTH:
            raise CoreError(
                "tiers.invalid", f"招生类别第{n}项的代码“{code}”过长：最多{MAX_CODE_LENGTH}个字符"
            )
        if code in seen:
            raise CoreError("tiers.invalid", f"招生类别代码“{code}”重复：每个类别只能出现一次")
        seen.add(code)
        tiers.append(Tier(code, label))
    return tuple(tiers)


def tier_of(
    *,
    hukou_in_area: bool,
    property_in_area: bool,
    residence_permit: bool,
    policy: bool,
    tiers: Sequence[Tier] = DEFAULT_TIERS,
) -> str:
    """The tier code for a child's declared facts, within the round's tier list.

    优抚对象 → the first tier; 户籍和房产都在片区 → ``hukou_property``; 户籍 → ``hukou``; 房产 → ``property``;
    居住证 → ``migrant``; otherwise ``other``. A code the list lacks falls to the next lower listed tier of
    that order, else to the list's last tier."""
    if not tiers:
        raise CoreError("tiers.empty", "招生类别不能为空")
    if policy:
        return tiers[0].code
    if hukou_in_area and property_in_area:
        code = "hukou_property"
    elif hukou_in_area:
        code = "hukou"
    elif property_in_area:
        code = "property"
    elif residence_permit:
        code = "migrant"
    else:
        code = "other"
    listed = {t.code for t in tiers}
    for candidate in FACT_ORDER[FACT_ORDER.index(code) :]:
        if candidate in listed:
            return candidate
    return tiers[-1].code


def tier_rank(code: str, tiers: Sequence[Tier]) -> int:
    """1 for the first tier; a code the list lacks ranks after every listed tier (``len(tiers) + 1``)."""
    for n, tier in enumerate(tiers, start=1):
        if tier.code == code:
            return n
    return len(tiers) + 1


def tier_label(code: str, tiers: Sequence[Tier]) -> str:
    """The tier's Chinese label; an unknown code as given."""
    for tier in tiers:
        if tier.code == code:
            return tier.label
    return code
