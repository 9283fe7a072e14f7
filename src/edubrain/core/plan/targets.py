"""Quantitative targets stated in the plan's prose.

Every sentence is searched for quantities — an Arabic number (or a range "1—2") with a unit (%、个百分点、
万人、个、所、家、项、课时、年 …); numbers inside quotes, 《》 and 〔〕, dates and years are not quantities. A
quantity is a target when its clause reads as one:

- *comparison*: "<subject>达到 / 不低于 / 不少于 / 控制在 …<quantity>[以上/以下]" — the indicator is the
  subject (scope words such as 全县, 到2025年, 力争 removed); "优良率、合格率达到55%、95%以上" gives one
  target per name, the short names completed from the first (合格率 → 学生体质健康测试合格率);
- *yearly change*: "<subject>每年降低 / 提高（不少于）N个百分点" → ``decrease_by`` / ``increase_by``;
- *share of a group*: "70%以上的一线教师掌握教科研基本流程" → indicator 一线教师掌握教科研基本流程;
- *count*: a verb of doing or reaching (创建、评选、打造、培育、推进、实现、力争、掌握 …) with a count
  "评选10个典型性劳动教育基地" → indicator 评选典型性劳动教育基地, unit 个, ``>=`` 10 ("1—2个": target 1,
  ``target_high`` 2);
- "由2020年的A%提高到2025年的B%" gives a baseline too.

A subject that is only a frequency ("每周不少于1课时") is named from the clause before it (开设劳动教育必修课
→ 劳动教育必修课每周课时). ``target_year`` is the last year written before the quantity in the sentence
("到2025年"), else the plan's last year; a year before the plan period marks a past fact, not a target, and
so do sentences under a 发展基础 / 现状 / 回顾 heading. Not targets, but reported in ``unparsed``: allocation
rules ("按照不低于50%的比例用于…" — a rule on how money may be spent, not a level to reach), comparisons
without a number ("只增不减", "不低于当地公务员平均工资收入水平"), and target-like clauses whose indicator or
values could not be told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from edubrain.core.plan.lexicon import NUM, QUANTITY, UNIT_RE, norm_unit, number
from edubrain.core.plan.units import find_units, without_units

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
CLAUSE_SEP = re.compile(r"[，,；;：:]")
MASKED = re.compile(
    r"“[^”]*”|\"[^\"]*\"|《[^》]*》|〈[^〉]*〉|<[^>]*>|〔[^〕]*〕|［[^］]*］|[（(]即[^）)]*[）)]"
)
GROUP_SEP = re.compile(r"^(?:及?以上|及?以下)?\s*[、和及与]\s*$")
POST = re.compile(r"^\s*(及?以上|及?以下|以内|左右)")
CHANGE = re.compile(
    r"(?:每年|年均|逐年)\s*(?P<verb>降低|下降|减少|提高|提升|增加|增长)\s*(?:不少于|不低于|至少|超过)?\s*$"
)
COMPARE = re.compile(
    r"(?:分别|均|都)?\s*(?P<m>不少于|不低于|至少|超过|高于|达到|达|提高到|提升到|提高至|提升至|增加到|增长到|增至|"
    r"降低到|降低至|降到|降至|下降到|下降至|控制在|保持在|稳定在|不高于|不超过|低于|少于)\s*$"
)
AT_MOST = (
    "不高于",
    "不超过",
    "低于",
    "少于",
    "降低到",
    "降低至",
    "降到",
    "降至",
    "下降到",
    "下降至",
    "控制在",
)
TARGET_WORD = re.compile(r"不少于|不低于|不高于|不超过|至少|达到|以上|以下|以内|控制在|力争|确保")
RULE = re.compile(r"按照?\s*(?:不低于|不高于|不超过|不少于)?\s*$")
COUNT_VERB = re.compile(
    r"创建|创成|争创|评选|打造|建设|建成|新建|改扩建|培育|遴选|入选|推进|实现|力争|掌握|完成|培养|认定|开设|设立|"
    r"确保|至少|不少于|达到|新增|增加"
)
COUNT_UNITS = {
    "个",
    "所",
    "家",
    "项",
    "门",
    "处",
    "座",
    "间",
    "名",
    "人",
    "次",
    "课时",
    "学时",
    "节",
    "台",
    "册",
}
RATE_UNITS = {"%", "‰", "个百分点"}
MEASURE_UNITS = {"课时", "学时", "小时", "分钟", "次", "节"}
FREQUENCY = re.compile(r"^(?:每周|每天|每日|每月|每学期|每学年|每年|每班|每校|每生|生均|人均)$")
YEAR_LEAD = re.compile(r"^(?:到|至|在|于|截至)?\s*(?:19|20)\d\d\s*年(?:底|末|前|年底)?\s*")
LEAD_WORDS = re.compile(
    r"^(?:全县|全市|全区|全省|全镇|全国|县域内|县域|域内|力争|确保|努力|争取|逐步|基本|进一步|全面|使|让|实现|推动|"
    r"保证|其中|并且|并|且|同时|要|将|把|、)"
)
TRAIL_WORDS = re.compile(r"(?:分别|均|都|要|总体上|稳定|保持|可|的|将|、)$")
COUNT_LEAD = re.compile(r"^(?:力争|确保|努力|争取|逐步|使|让|全县|全市|全区|并且|并|且|同时|、)")
PREV_VERB = re.compile(r"(?:开设|设立|开展|配备|建设|实施|落实|组织|安排|保证|保障|开齐|开足|设置)")
QUALITATIVE = re.compile(r"只增不减|不低于|不少于|不高于|不超过")
NO_DECREASE = re.compile(r"(?:逐年|每年)?只增不减")
BASELINE = re.compile(
    rf"[由从]\s*(?:(?P<by>(?:19|20)\d\d)\s*年的?)?\s*(?P<a>{NUM})\s*(?P<ua>{UNIT_RE})?\s*"
    rf"(?P<verb>提高|提升|增加|增长|上升|降低|下降|减少)\s*(?:到|至)\s*(?:(?P<ty>(?:19|20)\d\d)\s*年的?)?\s*"
    rf"(?P<b>{NUM})\s*(?P<ub>{UNIT_RE})"
)
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
MAX_NAME = 80


@dataclass
class ProseResult:
    targets: list[dict[str, Any]] = field(default_factory=list)
    unparsed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Quantity:
    start: int
    unit_end: int  # after the unit
    end: int  # after 以上/以下 when present, else unit_end
    low: int | float
    high: int | float | None
    unit: str
    post: str


def _mask(text: str) -> str:
    return MASKED.sub(lambda m: "□" * len(m.group(0)), text)


def _quantities(masked: str) -> list[_Quantity]:
    found = []
    for m in QUANTITY.finditer(masked):
        low, unit = m.group("low"), m.group("unit")
        if m.start() > 0 and (masked[m.start() - 1].isdigit() or masked[m.start() - 1] in ".第"):
            continue
        if unit == "年" and re.fullmatch(r"(?:19|20)\d\d", low):
            continue  # a year, not a number of years
        if masked[m.end() : m.end() + 1] in ("月", "级", "届", "版"):
            continue
        post = POST.match(masked[m.end() :])
        end = m.end() + (post.end() if post else 0)
        high = number(m.group("high")) if m.group("high") else None
        found.append(
            _Quantity(
                m.start(), m.end(), end, number(low), high, norm_unit(unit), post.group(1) if post else ""
            )
        )
    return found


def _groups(masked: str, quantities: list[_Quantity]) -> list[list[_Quantity]]:
    groups: list[list[_Quantity]] = []
    for q in quantities:
        if groups:
            prev = groups[-1][-1]
            between = masked[prev.unit_end : q.start]
            if GROUP_SEP.match(between) and q.unit == prev.unit:
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _clean_subject(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    while True:
        before = text
        text = YEAR_LEAD.sub("", text)
        text = LEAD_WORDS.sub("", text)
        text = TRAIL_WORDS.sub("", text)
        text = text.strip("，,、；;：:（(。！？!?")
        if text == before:
            return text


def _clean_count(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"至少|不少于|不低于", "", text)
    while True:
        before = text
        text = YEAR_LEAD.sub("", text)
        text = COUNT_LEAD.sub("", text)
        text = re.sub(r"(?:目标|的|、|[。！？!?])$", "", text)
        if text == before:
            return text


def _names(subject: str, n: int, each: bool = False) -> list[str] | None:
    """The indicator names of a subject with ``n`` values ("优良率、合格率" + 55%、95%); ``each``: one value
    for every name ("…均达到90%")."""
    if n == 1 and not each:
        return [subject]
    parts = [p for p in re.split(r"[、和及与]", subject) if p]
    if len(parts) != n and not (each and n == 1):
        return None
    first = parts[0]
    out = [first]
    for p in parts[1:]:
        if len(p) < len(first) and len(p) <= 5 and not p.startswith(first[:2]):
            p = first[: len(first) - len(p)] + p
        out.append(p)
    return out


class _Scanner:
    def __init__(self, period: list[int] | None) -> None:
        self.period = period
        self.result = ProseResult()
        self._prev_end = -1  # where the last target of the sentence ended: the next one's clause starts there

    def unparsed(self, text: str, reason: str) -> None:
        entry = {"text": text.strip().rstrip("。；;"), "reason": reason}
        if entry not in self.result.unparsed:
            self.result.unparsed.append(entry)

    def paragraph(self, text: str, task_code: str | None) -> None:
        text = without_units(text, find_units(text))
        for m in SENTENCE.finditer(text):
            sentence = m.group(0).strip()
            if sentence:
                self.sentence(sentence, task_code)

    def sentence(self, sentence: str, task_code: str | None) -> None:
        masked = _mask(sentence)
        self._prev_end = -1
        quantities = _quantities(masked)
        clauses = [(c.start(), c.end()) for c in re.finditer(r"[^，,；;：:]+", masked)]
        if not quantities:
            for start, end in clauses:
                clause = sentence[start:end]
                if (m := NO_DECREASE.search(masked[start:end])) is not None:
                    subject = _clean_subject(
                        re.sub(r"(?:确保|保证|做到|实现|要|应当|应)$", "", clause[: m.start()])
                    )
                    if subject and len(subject) <= MAX_NAME:
                        # "逐年只增不减": judged year by year — an increase of at least 0 every year
                        year = self.period[1] if self.period else None
                        self.result.targets.append(
                            self._target(subject, "", 0, "increase_by", year, task_code, sentence)
                        )
                        continue
                if QUALITATIVE.search(masked[start:end]):
                    self.unparsed(clause, "定性目标（不低于某一水平等），没有数值，未作为目标")
            return
        base = BASELINE.search(masked)
        done_until = -1
        for group in _groups(masked, quantities):
            if group[0].start < done_until:
                continue
            if base and base.start() <= group[0].start < base.end():
                self._baseline(sentence, masked, base, clauses, task_code)
                done_until = base.end()
                continue
            self._group(sentence, masked, group, clauses, task_code)

    def _year(self, sentence: str, masked: str, before: int) -> tuple[int | None, bool]:
        """(target year, past): the last year written before ``before``; past when before the period."""
        years = [int(m.group(1)) for m in YEAR.finditer(sentence[:before]) if masked[m.start()] != "□"]
        if not years:
            return (self.period[1] if self.period else None), False
        year = years[-1]
        return year, bool(self.period and year < self.period[0])

    @staticmethod
    def _clause(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int, int]:
        for k, (start, end) in enumerate(clauses):
            if start <= pos < end:
                return start, end, k
        return 0, clauses[-1][1] if clauses else 0, 0

    def _group(
        self,
        sentence: str,
        masked: str,
        group: list[_Quantity],
        clauses: list[tuple[int, int]],
        task: str | None,
    ) -> None:
        first, last = group[0], group[-1]
        c_start, c_end, c_index = self._clause(clauses, first.start)
        start = self._prev_end if c_start <= self._prev_end < first.start else c_start
        self._prev_end = last.end
        prefix_m, after_m = masked[start : first.start], masked[last.end : c_end]
        prefix, after = sentence[start : first.start], sentence[last.end : c_end]
        clause = sentence[c_start:c_end].strip()
        year, past = self._year(sentence, masked, first.start)
        if past:
            return
        if RULE.search(prefix_m) and after_m.startswith("的比例"):
            self.unparsed(clause, "政策规定（按一定比例分配或使用），不是发展目标，未作为目标")
            return
        comparator = ">="
        names: list[str] | None
        if (m := CHANGE.search(prefix_m)) is not None:
            comparator = "decrease_by" if m.group("verb") in ("降低", "下降", "减少") else "increase_by"
            names = self._subject(prefix[: m.start()], group, sentence, clauses, c_index)
        elif (m := COMPARE.search(prefix_m)) is not None:
            comparator = "<=" if m.group("m") in AT_MOST else ">="
            each = len(group) == 1 and bool(re.match(r"\s*[均都]", m.group(0)))
            names = self._subject(prefix[: m.start()], group, sentence, clauses, c_index, each)
        elif after_m.startswith("的") and len(group) == 1:
            names = [_clean_subject(after[1:])]
        elif group[0].unit in COUNT_UNITS and COUNT_VERB.search(prefix_m) and len(group) == 1:
            names = [_clean_count(prefix + after)]
        elif first.post and first.unit in RATE_UNITS and not after_m.strip() and _clean_subject(prefix):
            names = self._subject(prefix, group, sentence, clauses, c_index)
        elif TARGET_WORD.search(masked[c_start:c_end]):
            self.unparsed(clause, "像是目标，但无法确定指标名称，未作为目标")
            return
        else:
            return  # a number in passing (a fact, a name), not a target
        if first.post in ("以下", "及以下", "以内"):
            comparator = "<=" if comparator == ">=" else comparator
        elif first.post == "左右" and comparator == ">=":
            comparator = "="
        if names is None or any(not n for n in names):
            self.unparsed(clause, "像是目标，但找不到指标名称或名称与数值个数不一致，未作为目标")
            return
        if any(len(n) > MAX_NAME for n in names):
            self.unparsed(clause, "像是目标，但指标名称过长，未作为目标")
            return
        quantities = group * len(names) if len(group) == 1 else group
        for name, q in zip(names, quantities, strict=True):
            self._add(name, q, comparator, year, task, sentence)

    def _subject(
        self,
        text: str,
        group: list[_Quantity],
        sentence: str,
        clauses: list[tuple[int, int]],
        index: int,
        each: bool = False,
    ) -> list[str] | None:
        subject = _clean_subject(text)
        if not subject or FREQUENCY.match(subject):
            if index == 0:
                return None
            s, e = clauses[index - 1]
            prev = _clean_subject(sentence[s:e])
            verbs = list(PREV_VERB.finditer(prev))
            noun = prev[verbs[-1].end() :] if verbs and verbs[-1].end() < len(prev) else prev
            unit = group[0].unit if group[0].unit in MEASURE_UNITS else ""
            return [noun + subject + unit] if noun else None
        return _names(subject, len(group), each)

    def _baseline(
        self, sentence: str, masked: str, m: re.Match[str], clauses: list[tuple[int, int]], task: str | None
    ) -> None:
        c_start, _, _ = self._clause(clauses, m.start())
        subject = _clean_subject(sentence[c_start : m.start()])
        clause = sentence[c_start : m.end()].strip()
        if not subject:
            self.unparsed(clause, "像是目标，但找不到指标名称，未作为目标")
            return
        year, _ = self._year(sentence, masked, m.start("b"))
        unit = norm_unit(m.group("ub"))
        self._prev_end = m.end()
        self.result.targets.append(
            self._target(
                subject,
                unit,
                number(m.group("b")),
                "<=" if m.group("verb") in ("降低", "下降", "减少") else ">=",
                int(m.group("ty")) if m.group("ty") else year,
                task,
                sentence,
                baseline=(int(m.group("by")) if m.group("by") else None, number(m.group("a"))),
            )
        )

    def _add(
        self, name: str, q: _Quantity, comparator: str, year: int | None, task: str | None, src: str
    ) -> None:
        target = self._target(name, q.unit, q.low, comparator, year, task, src)
        if q.high is not None:
            target["target_high"] = q.high
        self.result.targets.append(target)

    @staticmethod
    def _target(
        name: str,
        unit: str,
        value: int | float,
        comparator: str,
        year: int | None,
        task: str | None,
        source: str,
        baseline: tuple[int | None, int | float] | None = None,
    ) -> dict[str, Any]:
        return {
            "indicator": name,
            "unit": unit,
            "baseline_year": baseline[0] if baseline else None,
            "baseline": baseline[1] if baseline else None,
            "target_year": year,
            "target": value,
            "comparator": comparator,
            "nature": None,
            "task_code": task,
            "source": source,
            "category": None,
            "origin": "text",
        }


def scan_prose(paragraphs: list[tuple[str, str | None]], period: list[int] | None) -> ProseResult:
    """Targets of the paragraphs (text, task code) — paragraphs under fact headings left out by the caller."""
    scanner = _Scanner(period)
    for text, task in paragraphs:
        scanner.paragraph(text, task)
    return scanner.result
