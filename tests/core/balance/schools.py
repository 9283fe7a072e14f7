"""Hand-made school rows for the balance tests: every resource given explicitly, so each expected value in
a test can be worked out on paper from the numbers here."""

from __future__ import annotations

import polars as pl

RESOURCES = (
    "高于规定学历教师数",
    "县级以上骨干教师数",
    "体育艺术专任教师数",
    "教学及辅助用房面积",
    "体育运动场馆面积",
    "教学仪器设备值",
    "网络多媒体教室数",
)

#: Per 1000 pupils, every indicator comfortably above its threshold:
#: 小学 5.0 / 1.2 / 1.0 per 100, 5.0 m², 8.0 m², 2500 元, 3.0 rooms per 100;
#: 初中 6.0 / 1.2 / 1.0 per 100, 6.0 m², 11.0 m², 3000 元, 3.0 rooms per 100.
GOOD_PER_1000 = {
    "小学": (50.0, 12.0, 10.0, 5000.0, 8000.0, 2_500_000.0, 30.0),
    "初中": (60.0, 12.0, 10.0, 6000.0, 11000.0, 3_000_000.0, 30.0),
}


def school(sid: str, stage: str = "小学", pupils: float | None = 1000, **resources: float | None) -> dict:
    """A row meeting every threshold (resources scaled to ``pupils``), with ``resources`` overriding."""
    scale = (pupils or 0) / 1000
    row: dict = {"学校标识码": sid, "学校名称": f"学校{sid}", "学段": stage, "在校生数": pupils}
    base = GOOD_PER_1000.get(stage, GOOD_PER_1000["小学"])
    row.update({name: value * scale for name, value in zip(RESOURCES, base, strict=True)})
    row.update(resources)
    return row


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), infer_schema_length=None)
