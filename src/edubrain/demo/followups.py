"""Demo 预警随访: the follow-ups of the last two autumn screenings, run through the real service and then
given realistic outcomes.

For the second-to-last school year the service runs as of 1 December of that year; almost every follow-up is
then closed with a result (学校复查 or 医院就诊, the outcome depending on the 预警等级), a few are left
waiting, and the next autumn's warnings supersede them. For the last year most schools close 85–95 % of their
follow-ups; a few lagging schools (about one in twelve) only about a third — so the 镇/街道 and county
overdue lists have something to show. Seeded (``SALT``), vectorised with numpy, written with ``update_frame``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from edubrain.base.frames import queryset_frame, update_frame
from edubrain.vision.followups import sync_followups
from edubrain.vision.models import FollowUpStatus, Outcome, ResultKind, VisionFollowUp

SALT = 0xF0_110_0F
HOSPITALS = ("沂源县人民医院", "沂源县中医医院", "沂源县妇幼保健院", "淄博市中心医院", "淄博市第一医院")
SYNC_DAY = (12, 1)  # the follow-ups of the autumn screening are opened on 1 December
LAGGING_SHARE = 1 / 12
# outcome shares by 预警等级 (1, 2, 3)
OUTCOMES = (
    Outcome.NORMAL, Outcome.MYOPIA_OBSERVE, Outcome.MYOPIA_CORRECTED, Outcome.MYOPIA_ORTHOK,
    Outcome.OTHER_REFRACTIVE, Outcome.OTHER_DISEASE, Outcome.DECLINED,
)
OUTCOME_P = {
    1: (0.30, 0.30, 0.22, 0.02, 0.10, 0.01, 0.05),
    2: (0.05, 0.15, 0.60, 0.08, 0.07, 0.01, 0.04),
    3: (0.01, 0.05, 0.72, 0.12, 0.05, 0.02, 0.03),
}


NAT = np.datetime64("NaT", "D")


def _dates(values: np.ndarray) -> pl.Series:
    return pl.Series(values.astype("datetime64[D]")).cast(pl.Date)


def simulate_followups(years: list[int], seed: int) -> dict[str, int]:
    """Open and progress the follow-ups of the last two of ``years`` (school-year start years); the rows
    written (``vision_followup``)."""
    rng = np.random.default_rng([seed, SALT])
    last = sorted(years)[-2:]
    for i, year in enumerate(last):
        today = dt.date(year, *SYNC_DAY)
        sync_followups(today=today)
        _progress(rng, today, final=i == len(last) - 1)
    return {"vision_followup": VisionFollowUp._base_manager.count()}


def _progress(rng: np.random.Generator, today: dt.date, *, final: bool) -> None:
    fus = queryset_frame(
        VisionFollowUp._base_manager.filter(status=FollowUpStatus.OPEN, opened_on=today),
        ["id", "school_id", "level"],
    )
    n = fus.height
    if n == 0:
        return
    schools = fus["school_id"].unique().sort().to_numpy()
    lagging = rng.random(schools.size) < LAGGING_SHARE
    close_p = np.where(lagging, 0.35, rng.uniform(0.85, 0.95, schools.size)) if final else np.full(
        schools.size, 0.93
    )
    p = close_p[np.searchsorted(schools, fus["school_id"].to_numpy())]
    u = rng.random(n)
    closed = u < p
    resulted = ~closed & (u < p + 0.04)
    notified = ~closed & ~resulted & (u < p + 0.04 + (1 - p) * 0.5)
    level = np.clip(fus["level"].to_numpy(), 1, 3)
    draw, pick = rng.random(n), np.zeros(n, dtype=np.int64)
    for lv, shares in OUTCOME_P.items():
        at = level == lv
        pick[at] = np.searchsorted(np.cumsum(shares), draw[at])
    outcome = np.array([str(o) for o in OUTCOMES])[np.minimum(pick, len(OUTCOMES) - 1)]
    hospital_visit = (rng.random(n) < np.where(level >= 2, 0.85, 0.6)) & (outcome != Outcome.DECLINED)
    day = np.datetime64(today, "D")
    notified_on = day + rng.integers(1, 8, n)
    result_on = notified_on + rng.integers(3, 35, n)
    closed_on = result_on + rng.integers(0, 6, n)
    has_result = closed | resulted
    status = np.where(
        closed, str(FollowUpStatus.CLOSED),
        np.where(resulted, str(FollowUpStatus.RESULTED),
                 np.where(notified, str(FollowUpStatus.NOTIFIED), str(FollowUpStatus.OPEN))),
    )
    frame = pl.DataFrame(
        {
            "id": fus["id"],
            "status": status,
            "notified_on": _dates(np.where(status != FollowUpStatus.OPEN, notified_on, NAT)),
            "result_kind": np.where(
                has_result, np.where(hospital_visit, str(ResultKind.HOSPITAL), str(ResultKind.RECHECK)), ""
            ),
            "result_on": _dates(np.where(has_result, result_on, NAT)),
            "hospital": np.where(
                has_result & hospital_visit, np.array(HOSPITALS)[rng.integers(0, len(HOSPITALS), n)], ""
            ),
            "outcome": np.where(has_result, outcome, ""),
            "closed_on": _dates(np.where(closed, closed_on, NAT)),
        }
    )
    update_frame(VisionFollowUp, frame)


__all__ = ["simulate_followups"]
