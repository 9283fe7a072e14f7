"""电脑派位 (the computer lottery): a public, re-runnable rule with a published seed.

The rule (``ALGORITHM`` "sha256-rank-v1"): for every candidate's 报名号 compute
``SHA-256(种子 + "|" + 报名号)`` as lowercase hex; sort the candidates by that key (ties, which do not
happen in practice, by 报名号); the first N (N = the places drawn for) are admitted and their 派位序号
is their position 1…N. Nothing else enters the draw: not the order of the list, not the time, not
the machine — so anyone holding the published document (seed, places, candidate list) gets the identical
result, e.g. with ``edubrain enrollment lottery PUBLISHED.json`` or a few lines of any language with SHA-256.

A published draw document (``publish``) holds the inputs, the candidate list sorted by 报名号 with masked
names, ``candidates_sha256`` (of the sorted 报名号 joined by newlines — a fingerprint of the list) and the
admitted list; a round document (``round_document``) bundles a round's draws. ``verify`` recomputes each draw
from its inputs and compares with what was published.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from edubrain.core.errors import CoreError

ALGORITHM = "sha256-rank-v1"
ALGORITHM_TEXT = (
    "电脑派位规则（sha256-rank-v1）：派位前公布种子。对每名参加派位儿童的报名号，计算“种子|报名号”"
    "（UTF-8 编码）的 SHA-256 摘要（十六进制小写），按摘要从小到大排序（摘要相同按报名号排序），"
    "排在前 N 位者（N 为本次派位名额）依次录取，派位序号即其名次。结果只取决于种子、名额和报名号名单，"
    "任何人可用公布的数据重新计算并得到相同结果。"
)
DRAW_FORMAT = "edubrain-lottery"
ROUND_FORMAT = "edubrain-lottery-round"
VERSION = 1


def draw_key(seed: str, receipt: str) -> str:
    """The candidate's draw key: ``sha256(f"{seed}|{receipt}")`` in lowercase hex."""
    return hashlib.sha256(f"{seed}|{receipt}".encode()).hexdigest()


def draw_order(seed: str, receipts: Sequence[str]) -> list[str]:
    """All receipts in draw order: by (draw key, receipt). A repeated receipt is refused."""
    seen: set[str] = set()
    for receipt in receipts:
        if receipt in seen:
            raise CoreError("lottery.duplicate", f"报名号“{receipt}”重复出现：每名儿童只能参加一次派位")
        seen.add(receipt)
    return sorted(receipts, key=lambda r: (draw_key(seed, r), r))


@dataclass(frozen=True)
class DrawInput:
    """One draw's inputs: a school, the tier that exceeded the remaining places (``""`` for a private
    school's draw among all its applicants), the seed, the places drawn for, the candidates (报名号, masked
    name)."""

    round_name: str
    school_code: str
    school_name: str
    tier: str
    tier_label: str
    seed: str
    places: int
    candidates: tuple[tuple[str, str], ...]


def _fingerprint(receipts: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(receipts)).encode()).hexdigest()


def publish(draw: DrawInput, *, drawn_at: str) -> dict[str, Any]:
    """The published document of one draw (the inputs and the admitted list, see the module docstring)."""
    order = draw_order(draw.seed, [r for r, _ in draw.candidates])  # refuses a repeated receipt
    names = dict(draw.candidates)
    return {
        "format": DRAW_FORMAT,
        "version": VERSION,
        "algorithm": ALGORITHM,
        "algorithm_text": ALGORITHM_TEXT,
        "round": draw.round_name,
        "school_code": draw.school_code,
        "school": draw.school_name,
        "tier": draw.tier,
        "tier_label": draw.tier_label,
        "seed": draw.seed,
        "places": draw.places,
        "drawn_at": drawn_at,
        "candidates": [{"receipt": r, "name": names[r]} for r in sorted(names)],
        "candidates_sha256": _fingerprint(list(names)),
        "admitted": [
            {"no": n, "receipt": r, "name": names[r]} for n, r in enumerate(order[: draw.places], start=1)
        ],
    }


def round_document(round_name: str, drawn: list[dict[str, Any]]) -> dict[str, Any]:
    """All published draws of a round in one document."""
    return {"format": ROUND_FORMAT, "version": VERSION, "round": round_name, "draws": drawn}


def canonical_json(doc: dict[str, Any]) -> bytes:
    """The document as canonical JSON: sorted keys, UTF-8, no spaces — what ``digest`` hashes."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(doc: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON."""
    return hashlib.sha256(canonical_json(doc)).hexdigest()


@dataclass
class Verified:
    """One recomputed draw: ``admitted`` is [(派位序号, 报名号, 姓名)]; ``matches`` is None when the document
    published no admitted list, else whether it equals the recomputation (and the list fingerprint, when
    published, matches the candidates). ``problems`` says what differs, in Chinese."""

    school: str
    tier_label: str
    seed: str
    places: int
    admitted: list[tuple[int, str, str]]
    matches: bool | None
    candidates: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _where(n: int | None) -> str:
    return f"第{n}次派位" if n else "派位文件"


def _candidates(doc: dict[str, Any], where: str) -> list[tuple[str, str]]:
    raw = doc.get("candidates")
    if not isinstance(raw, list):
        raise CoreError("lottery.format", f"{where}缺少参加派位名单（candidates 应为列表）")
    out: list[tuple[str, str]] = []
    for n, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"receipt": item, "name": ""}
        receipt = item.get("receipt") if isinstance(item, dict) else None
        if not isinstance(receipt, str) or not receipt:
            raise CoreError("lottery.format", f"{where}参加派位名单第{n}项缺少报名号（receipt）")
        name = item.get("name", "") if isinstance(item, dict) else ""
        out.append((receipt, name if isinstance(name, str) else str(name)))
    return out


def _published_admitted(doc: dict[str, Any], where: str) -> list[tuple[int, str, str]] | None:
    raw = doc.get("admitted")
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise CoreError("lottery.format", f"{where}的录取名单（admitted）应为列表")
    out: list[tuple[int, str, str]] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise CoreError(
                "lottery.format", f"{where}录取名单第{n}项应包含派位序号（no）和报名号（receipt）"
            )
        no, receipt, name = item.get("no"), item.get("receipt"), item.get("name", "")
        out.append((no if isinstance(no, int) else -1, str(receipt), str(name)))
    return out


def _verify_draw(doc: Any, n: int | None) -> Verified:
    where = _where(n)
    if not isinstance(doc, dict) or doc.get("format") != DRAW_FORMAT:
        raise CoreError("lottery.format", f"{where}不是电脑派位公布文件（format 应为 {DRAW_FORMAT}）")
    if doc.get("algorithm", ALGORITHM) != ALGORITHM:
        raise CoreError(
            "lottery.algorithm", f"{where}的派位算法“{doc.get('algorithm')}”无法识别：应为 {ALGORITHM}"
        )
    seed, places = doc.get("seed"), doc.get("places")
    if not isinstance(seed, str) or not seed:
        raise CoreError("lottery.format", f"{where}缺少种子（seed）")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise CoreError("lottery.format", f"{where}的派位名额（places）应为不小于0的整数")
    candidates = _candidates(doc, where)
    names = dict(candidates)
    order = draw_order(seed, [r for r, _ in candidates])
    admitted = [(k, r, names[r]) for k, r in enumerate(order[:places], start=1)]
    published = _published_admitted(doc, where)
    problems: list[str] = []
    if published is not None and published != admitted:
        problems.append("录取名单与按公布数据重新计算的结果不同")
    fingerprint = doc.get("candidates_sha256")
    if fingerprint is not None and fingerprint != _fingerprint(list(names)):
        problems.append("参加派位名单与公布的名单指纹（candidates_sha256）不符")
    compared = published is not None or fingerprint is not None
    return Verified(
        school=str(doc.get("school") or doc.get("school_code") or ""),
        tier_label=str(doc.get("tier_label") or doc.get("tier") or ""),
        seed=seed,
        places=places,
        admitted=admitted,
        matches=(not problems) if compared else None,
        candidates=sorted(candidates),
        problems=problems,
    )


def verify(doc: dict[str, Any]) -> list[Verified]:
    """Recompute a published draw, or every draw of a round document, from seed + candidates + places.

    Raises CoreError (in Chinese) when the document is not a lottery document or a draw is malformed."""
    if isinstance(doc, dict) and doc.get("format") == ROUND_FORMAT:
        draws = doc.get("draws")
        if not isinstance(draws, list):
            raise CoreError("lottery.format", "批次派位文件缺少派位列表（draws 应为列表）")
        return [_verify_draw(d, n) for n, d in enumerate(draws, start=1)]
    if isinstance(doc, dict) and doc.get("format") == DRAW_FORMAT:
        return [_verify_draw(doc, None)]
    raise CoreError(
        "lottery.format",
        f"不是电脑派位公布文件：format 应为 {DRAW_FORMAT}（单次派位）或 {ROUND_FORMAT}（整个批次）",
    )


DESCRIPTION = (
    "按公布的种子、名额和参加派位名单重新计算电脑派位结果，并与公布的录取名单比对。"
    "退出码：0 一致（或无可比对），1 不一致，2 文件无法读取或格式不对。无需数据库或服务器。"
)


def _load(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CoreError("lottery.file", f"找不到派位文件“{path}”")
    except OSError as exc:
        raise CoreError("lottery.file", f"无法读取派位文件“{path}”：{exc.strerror or exc}")
    except UnicodeDecodeError:
        raise CoreError("lottery.file", f"派位文件“{path}”不是 UTF-8 编码的文本")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CoreError(
            "lottery.json", f"派位文件“{path}”不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有误"
        )
    if not isinstance(data, dict):
        raise CoreError("lottery.format", f"派位文件“{path}”的内容应为 JSON 对象")
    return data


def _report(v: Verified, out: TextIO) -> None:
    out.write(f"学校：{v.school}\n类别：{v.tier_label or '—'}\n种子：{v.seed}\n")
    out.write(f"名额：{v.places}  参加派位：{len(v.candidates)}人\n")
    out.write("参加派位名单（按报名号）：\n")
    for receipt, name in v.candidates:
        out.write(f"  {receipt}\t{name}\n")
    out.write("派位结果：\n派位序号\t报名号\t姓名\n")
    for no, receipt, name in v.admitted:
        out.write(f"{no}\t{receipt}\t{name}\n")
    if v.matches is None:
        out.write("公布文件未含录取名单，无可比对\n")
    elif v.matches:
        out.write("与公布结果一致\n")
    else:
        out.write("与公布结果不一致：" + "；".join(v.problems) + "\n")


def lottery_command(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """``edubrain enrollment lottery FILE.json``: print each recomputed draw and whether it matches.

    Exit 0 when every draw matches (or nothing was published to compare), 1 on a mismatch, 2 on bad input."""
    if not argv:
        stderr.write("错误：缺少公布的派位文件。用法：edubrain enrollment lottery FILE.json\n")
        return 2
    cli = argparse.ArgumentParser(prog="edubrain enrollment lottery", description=DESCRIPTION)
    cli.add_argument("file", help="公布的派位文件（单次派位或整个批次的 JSON）")
    args = cli.parse_args(argv)
    try:
        results = verify(_load(args.file))
    except CoreError as exc:
        stderr.write(f"错误：{exc.message}\n")
        return 2
    for n, v in enumerate(results, start=1):
        if len(results) > 1:
            stdout.write(f"=== 第{n}次派位 ===\n")
        _report(v, stdout)
    mismatched = [v for v in results if v.matches is False]
    if len(results) > 1:
        verdict = "全部与公布结果一致" if not mismatched else f"{len(mismatched)}次派位与公布结果不一致"
        stdout.write(f"=== 共{len(results)}次派位，{verdict} ===\n")
    return 1 if mismatched else 0
