"""告家长书 (notice to parents) of 预警随访, one page per pupil, many pupils (a class) in one PDF.

``notice_pdf(followups, user)`` renders ``vision/notice_pdf.html`` through ``base.pdf``; the page carries the
screening's results (裸眼视力, 等效球镜, 筛查性近视, 近视程度, 近视前期, 预警等级 and its reason), the advice
for the level, the deadline for the examination at a hospital and a tear-off receipt (回执) the school
collects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from edubrain.base.masking import show_name
from edubrain.base.pdf import render_pdf
from edubrain.core.vision.acuity import PRINTED_DECIMAL
from edubrain.vision.followup_queries import class_name
from edubrain.vision.models import VisionFollowUp

MAX_NOTICES = 300  # per PDF: a class or a grade's worth; larger sets are printed class by class
MIN_NOTICE_DAYS = 14  # a notice printed late still gives the parents this long to see a doctor
STANDARD = "《中小学生屈光不正筛查规范》（WS/T 663-2020）"
ADVICE = {
    1: "孩子的视力或屈光状态已出现异常（一级预警）。",
    2: "孩子的视力或屈光状态明显异常（二级预警）。",
    3: "孩子的视力或屈光状态严重异常（三级预警）。",
}
HABITS = (
    "保证每天日间户外活动 2 小时以上；",
    "读写连续用眼 30–40 分钟后远眺或活动 10 分钟，坚持“一尺一拳一寸”的读写姿势；",
    "控制电子产品使用，非学习目的单次不超过 15 分钟、每天累计不超过 1 小时；",
    "保证充足睡眠，小学生每天 10 小时、初中生 9 小时、高中生 8 小时。",
)


def _acuity(value: Decimal | None) -> str:
    if value is None:
        return "—"
    decimal = PRINTED_DECIMAL.get(float(value))  # the chart's printed decimal value (§5.1)
    return f"{value}（{decimal:g}）" if decimal is not None else str(value)


def _se(value: Decimal | None) -> str:
    return "—" if value is None else f"{float(value):+.2f} D"


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def reply_by(fu: VisionFollowUp, today: dt.date) -> dt.date:
    """The date the notice asks the parents to reply by: the follow-up's deadline, or, when the notice is
    printed too late for it, ``MIN_NOTICE_DAYS`` from the printing (the follow-up's own deadline, which the
    overdue lists use, does not move)."""
    return max(fu.due_on, today + dt.timedelta(days=MIN_NOTICE_DAYS))


def notice_context(fu: VisionFollowUp, user: Any, today: dt.date) -> dict[str, Any]:
    s = fu.screening
    myopia = "筛查性近视" if s.myopia else ("近视前期" if s.pre_myopia else "未见筛查性近视")
    return {
        "id": fu.pk,
        "school": fu.school.name,
        "class_name": class_name(fu.school_class),
        "name": show_name(user, fu.student.name),
        "sex": fu.student.get_sex_display(),
        "screened_on": s.screened_on,
        "left_acuity": _acuity(s.left_acuity),
        "right_acuity": _acuity(s.right_acuity),
        "left_se": _se(s.left_se),
        "right_se": _se(s.right_se),
        "left_myopia": _yes(s.left_myopia),
        "right_myopia": _yes(s.right_myopia),
        "conclusion": myopia,
        "degree": s.get_degree_display() if s.myopia else "—",
        "glasses": s.get_correction_display() if s.correction else ("戴镜" if s.glasses else "未戴镜"),
        "level": fu.level,
        "reason": fu.reason,
        "rose": fu.rose,
        "previous_level": fu.previous_level,
        "advice": ADVICE.get(fu.level, "孩子的视力或屈光状态较上次筛查有所变化。"),
        "due_on": reply_by(fu, today),
    }


def notice_pdf(followups: Sequence[VisionFollowUp], user: Any, today: dt.date | None = None) -> bytes:
    """One PDF, a page per follow-up (``followups`` with screening, student, school and class loaded)."""
    today = today or dt.date.today()
    if len(followups) > MAX_NOTICES:
        raise ValueError(
            f"一次最多打印 {MAX_NOTICES} 份告家长书（所选 {len(followups)} 份），请按班级分别打印"
        )
    return render_pdf(
        "vision/notice_pdf.html",
        {
            "notices": [notice_context(fu, user, today) for fu in followups],
            "standard": STANDARD,
            "habits": HABITS,
            "today": today,
        },
    )


__all__ = ["MAX_NOTICES", "notice_context", "notice_pdf", "reply_by"]
