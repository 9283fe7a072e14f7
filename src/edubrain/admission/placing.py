"""派位 (placement) of a closed round and 公布 (publishing) its results.

``run_placement`` takes every approved (or previously placed) application and the round's 招生计划, hands
them as two frames to the pure core (``core.enrollment.placement.place``: tiers in priority order, 电脑派位
where a tier exceeds the remaining places, private schools by lottery only, unplaced applicants reassigned
to the nearest school with places) and writes the outcome back set-based in one transaction: each
application ADMITTED or NOT_ADMITTED, one ``ApplicationEvent`` each, one published ``Draw`` per lottery.
Re-running before publishing replaces the previous results and draws. ``publish`` makes the results public
and texts every placed parent.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from edubrain.admission import sms
from edubrain.admission.events import signature
from edubrain.admission.models import AdmissionRound, Application, ApplicationEvent, Draw, Quota
from edubrain.admission.rounds import may_manage, require_round_admin
from edubrain.base.audit import audit_actor, record_bulk
from edubrain.base.frames import insert_frame, queryset_frame, update_frame
from edubrain.base.masking import may_see_personal
from edubrain.core.enrollment import lottery
from edubrain.core.enrollment.placement import REASSIGN_RULE_TEXT, place
from edubrain.core.enrollment.tiers import tiers_from_json
from edubrain.core.errors import CoreError
from edubrain.core.ids import mask_name
from edubrain.registry.choices import Ownership

Status = AdmissionRound.Status
SEED_MAX = 100
#: the next step shown to (and texted to) a parent whose child found no place
NEXT_STEP = (
    "对口学校及附近学校学位已满，暂未录取。请于结果公布之日起5个工作日内，携带户口本、房产证明或居住证，"
    "到县教育和体育局基础教育科申请统筹安排。"
)
#: applications taking part in placement: approved, or placed by an earlier run of this round
PLACEABLE = (Application.Status.APPROVED, Application.Status.ADMITTED, Application.Status.NOT_ADMITTED)
PENDING = (Application.Status.SUBMITTED, Application.Status.MORE)


@dataclass
class PlacementSummary:
    """What a placement run did: counts by 录取方式, draws written, applicants left without a place."""

    seed: str
    admitted: int = 0
    not_admitted: int = 0
    by_via: dict[str, int] = field(default_factory=dict)
    draws: int = 0

    @property
    def total(self) -> int:
        return self.admitted + self.not_admitted

    def via_rows(self) -> list[tuple[str, str, int]]:
        """(code, 录取方式 label, count) in the model's order."""
        return [(c, str(label), self.by_via.get(c, 0)) for c, label in Application.Via.choices]


def pending_reviews(round: AdmissionRound) -> int:
    return Application.objects.filter(round=round, status__in=PENDING).count()


def check_placeable(round: AdmissionRound) -> None:
    """Raise a Chinese ValidationError unless the round may be placed now."""
    if round.status not in (Status.CLOSED, Status.PLACED):
        raise ValidationError(
            f"招生批次状态为“{round.get_status_display()}”，只有报名结束（或已派位、尚未公布）的批次才能派位"
        )
    waiting = pending_reviews(round)
    if waiting:
        raise ValidationError(f"尚有{waiting}份申请未审核完毕（待审核或需补充材料），请全部审核后再派位")


def applicants_frame(round: AdmissionRound) -> pl.DataFrame:
    """The core's applicants frame: id, receipt, name (masked), zone_school_id, choice_school_id, tier."""
    rows = queryset_frame(
        Application.objects.filter(round=round, status__in=PLACEABLE).order_by("receipt_no"),
        ["id", "receipt_no", "child_name", "zone_school_id", "choice_school_id", "tier"],
    )
    return rows.select(
        "id",
        pl.col("receipt_no").alias("receipt"),
        pl.col("child_name").map_elements(mask_name, return_dtype=pl.String).alias("name"),
        "zone_school_id",
        "choice_school_id",
        "tier",
    )


def schools_frame(round: AdmissionRound) -> pl.DataFrame:
    """The core's schools frame from the round's 招生计划 (private schools included: 公民同招)."""
    rows = queryset_frame(
        Quota.objects.filter(round=round).order_by("school__code"),
        [
            "school_id",
            "school__code",
            "school__name",
            "places",
            "school__ownership",
            "school__town_id",
            "school__latitude",
            "school__longitude",
        ],
    )
    return rows.select(
        pl.col("school_id").alias("id"),
        pl.col("school__code").alias("code"),
        pl.col("school__name").alias("name"),
        pl.col("places").cast(pl.Int64),
        (pl.col("school__ownership") == Ownership.PRIVATE).alias("private"),
        pl.col("school__town_id").alias("town_id"),
        pl.col("school__latitude").cast(pl.Float64).alias("lat"),
        pl.col("school__longitude").cast(pl.Float64).alias("lon"),
    )


def _clean_seed(seed: str) -> str:
    text = (seed or "").strip()
    if len(text) > SEED_MAX:
        raise ValidationError({"seed": f"派位种子不能超过{SEED_MAX}个字符（现为{len(text)}个）"})
    return text or secrets.token_hex(16)


def _outcome_frame(result: pl.DataFrame, schools: pl.DataFrame, now: Any) -> pl.DataFrame:
    """Rows for ``update_frame``: the new status, school, 录取方式, 派位序号 and note of each application."""
    names = schools.select(pl.col("id").alias("school_id"), pl.col("name").alias("__school__"))
    placed = pl.col("school_id").is_not_null()
    return (
        result.join(names, on="school_id", how="left")
        .select(
            pl.col("id").cast(pl.Int64),
            pl.when(placed)
            .then(pl.lit(str(Application.Status.ADMITTED)))
            .otherwise(pl.lit(str(Application.Status.NOT_ADMITTED)))
            .alias("status"),
            pl.col("school_id").cast(pl.Int64).alias("admitted_school_id"),
            pl.when(placed).then(pl.col("via")).otherwise(pl.lit("")).alias("admitted_via"),
            pl.col("lottery_no").cast(pl.Int64),
            pl.when(placed)
            .then(pl.format("已录取：{}", pl.col("__school__")))
            .otherwise(pl.lit(NEXT_STEP))
            .alias("status_note"),
            pl.lit(now).alias("updated_at"),
        )
        .sort("id")
    )


def _events_frame(rows: pl.DataFrame, schools: pl.DataFrame, actor_id: int | None, now: Any) -> pl.DataFrame:
    """One 录取/未录取 ``ApplicationEvent`` per application; the note names the school, 录取方式 and
    派位序号."""
    vias = {str(c): str(label) for c, label in Application.Via.choices}
    names = schools.select(pl.col("id").alias("admitted_school_id"), pl.col("name").alias("__school__"))
    drawn = pl.col("lottery_no").is_not_null()
    placed = pl.col("admitted_school_id").is_not_null()
    admitted_note = pl.format(
        "录取到{}（{}{}）",
        pl.col("__school__"),
        pl.col("admitted_via").replace_strict(vias, default=pl.col("admitted_via")),
        pl.when(drawn).then(pl.format("，派位序号{}", pl.col("lottery_no"))).otherwise(pl.lit("")),
    )
    refused_note = pl.format(
        "未录取{}",
        pl.when(drawn).then(pl.format("（派位序号{}，未中签）", pl.col("lottery_no"))).otherwise(pl.lit("")),
    )
    return rows.join(names, on="admitted_school_id", how="left").select(
        pl.col("id").alias("application_id"),
        pl.lit(actor_id, pl.Int64).alias("actor_id"),
        pl.when(placed)
        .then(pl.lit(str(ApplicationEvent.Action.ADMIT)))
        .otherwise(pl.lit(str(ApplicationEvent.Action.NOT_ADMIT)))
        .alias("action"),
        pl.when(placed).then(admitted_note).otherwise(refused_note).alias("note"),
        pl.lit(now).alias("at"),
    )


def _draw_rows(round: AdmissionRound, draws: list[Any], now: Any) -> list[Draw]:
    codes = dict(Quota.objects.filter(round=round).values_list("school__code", "school_id"))
    stamp = timezone.localtime(now).isoformat(timespec="seconds")
    rows = []
    for draw in draws:
        document = lottery.publish(draw, drawn_at=stamp)
        rows.append(
            Draw(
                round=round,
                school_id=codes[draw.school_code],
                tier=draw.tier or "",
                places=draw.places,
                candidates=len(draw.candidates),
                seed=draw.seed,
                document=document,
                digest=lottery.digest(document),
                drawn_at=now,
            )
        )
    return rows


def run_placement(round: AdmissionRound, user: Any, seed: str = "") -> PlacementSummary:
    """派位: place every approved application of a closed round; see the module docstring."""
    require_round_admin(user, round, "派位")
    seed = _clean_seed(seed)
    given = round
    with transaction.atomic(), audit_actor(user):
        round = AdmissionRound.objects.select_for_update().get(pk=round.pk)
        check_placeable(round)
        applicants = applicants_frame(round)
        schools = schools_frame(round)
        try:
            tiers = tiers_from_json(round.tiers)
            outcome = place(applicants, schools, seed=seed, tiers=tiers, round_name=round.name)
        except CoreError as exc:
            raise ValidationError(f"无法派位：{exc.message}") from exc
        now = timezone.now()
        rows = _outcome_frame(outcome.result, schools, now)
        update_frame(Application, rows)
        record_bulk(Application, rows.height, f"{round.name}：派位写入 {rows.height} 份申请的录取结果")
        insert_frame(ApplicationEvent, _events_frame(rows, schools, getattr(user, "pk", None), now))
        Draw.objects.filter(round=round).delete()
        Draw.objects.bulk_create(_draw_rows(round, outcome.draws, now))
        round.seed, round.status, round.placed_at = seed, Status.PLACED, now
        round.published_at = None
        round.save(update_fields=["seed", "status", "placed_at", "published_at"])
    given.seed, given.status, given.placed_at, given.published_at = seed, Status.PLACED, now, None
    admitted = rows.filter(pl.col("admitted_school_id").is_not_null())
    return PlacementSummary(
        seed=seed,
        admitted=admitted.height,
        not_admitted=rows.height - admitted.height,
        by_via=dict(Counter(admitted["admitted_via"].to_list())),
        draws=len(outcome.draws),
    )


def summary_of(round: AdmissionRound) -> PlacementSummary:
    """The stored outcome of the round's last placement (for the round page)."""
    placed = Application.objects.filter(round=round, status__in=PLACEABLE[1:])
    by_status = Counter(placed.values_list("status", flat=True))
    by_via = Counter(placed.filter(status=Application.Status.ADMITTED).values_list("admitted_via", flat=True))
    return PlacementSummary(
        seed=round.seed,
        admitted=by_status.get(Application.Status.ADMITTED, 0),
        not_admitted=by_status.get(Application.Status.NOT_ADMITTED, 0),
        by_via=dict(by_via),
        draws=Draw.objects.filter(round=round).count(),
    )


def result_message(application: Application) -> str:
    """The text message of a published result (without the signature)."""
    if application.status == Application.Status.ADMITTED and application.admitted_school_id:
        return (
            f"{application.child_name}（报名号{application.receipt_no}）已被{application.admitted_school.name}"
            "录取，请登录义务教育入学网上办查看并打印录取通知书。"
        )
    return f"{application.child_name}（报名号{application.receipt_no}）{application.status_note or NEXT_STEP}"


def publish(round: AdmissionRound, user: Any) -> int:
    """公布: PLACED → PUBLISHED; one text message to each placed applicant. Returns the messages sent."""
    require_round_admin(user, round, "公布录取结果")
    given = round
    with transaction.atomic():
        round = AdmissionRound.objects.select_for_update().get(pk=round.pk)
        if round.status != Status.PLACED:
            raise ValidationError(
                f"招生批次状态为“{round.get_status_display()}”，只有已派位（尚未公布）的批次才能公布结果"
            )
        round.status, round.published_at = Status.PUBLISHED, timezone.now()
        round.save(update_fields=["status", "published_at"])
        given.status, given.published_at = round.status, round.published_at
        placed = list(
            Application.objects.filter(round=round, status__in=PLACEABLE[1:])
            .select_related("admitted_school")
            .order_by("receipt_no")
        )
    sign = signature(round.county)
    for application in placed:
        sms.send(application.phone, f"{sign}{result_message(application)}")
    return len(placed)


def panel_context(round: AdmissionRound, user: Any) -> dict[str, Any]:
    """What the round page's placement panel shows (``_placement_panel.html``)."""
    tiers = tiers_from_json(round.tiers)
    placed = round.status in (Status.PLACED, Status.PUBLISHED)
    return {
        "bureau": may_manage(user, round),
        "may_export": may_see_personal(user),
        "pending": pending_reviews(round),
        "approved": Application.objects.filter(round=round, status__in=PLACEABLE).count(),
        "may_place": round.status in (Status.CLOSED, Status.PLACED),
        "may_publish": round.status == Status.PLACED,
        "placed": placed,
        "published": round.status == Status.PUBLISHED,
        "summary": summary_of(round) if placed else None,
        "tiers": tiers,
        "algorithm_text": lottery.ALGORITHM_TEXT,
        "algorithm": lottery.ALGORITHM,
        "reassign_text": REASSIGN_RULE_TEXT,
        "seed_max": SEED_MAX,
    }
