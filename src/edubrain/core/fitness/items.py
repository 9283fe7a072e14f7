"""The test items of the 2014 standard: key, Chinese name (the prefix of the ``<项目>得分`` columns), the raw
input column that holds the measurement, and the plausible range outside which a value is refused.

Input columns carry the stored field names (``FitnessMeasurement``): runs in seconds, lengths in cm,
weight in kg, 肺活量 in ml. One table serves the scoring core, the ``fitness score`` CLI and the import.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One scored item. ``column``: the input column; ``header``/``aliases``: the upload template's
    header; ``kind``: how the cell is parsed (decimal, int or duration); ``low``/``high``: plausible values
    (inclusive); ``unit``: the Chinese unit; ``higher_is_better``: False for runs."""

    key: str
    name: str
    column: str
    header: str
    kind: str
    unit: str
    low: float
    high: float
    higher_is_better: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A raw measurement that is not an item on its own (身高、体重 → 体重指数)."""

    column: str
    header: str
    unit: str
    low: float
    high: float
    aliases: tuple[str, ...] = ()


HEIGHT = Measure("height_cm", "身高", "厘米", 60, 230, ("身高（cm）", "身高(厘米)"))
WEIGHT = Measure("weight_kg", "体重", "千克", 10, 200, ("体重（kg）", "体重(千克)"))
MEASURES = (HEIGHT, WEIGHT)

BMI = "bmi"
ITEMS: tuple[Item, ...] = (
    Item(BMI, "体重指数", "", "体重指数", "decimal", "", 0, 0),
    Item(
        "vital_capacity",
        "肺活量",
        "vital_capacity_ml",
        "肺活量",
        "int",
        "毫升",
        100,
        10000,
        aliases=("肺活量（ml）", "肺活量(毫升)"),
    ),
    Item("run_50m", "50米跑", "sprint_50m_s", "50米跑", "duration", "秒", 5, 30, False, ("50米",)),
    Item(
        "sit_and_reach",
        "坐位体前屈",
        "sit_and_reach_cm",
        "坐位体前屈",
        "decimal",
        "厘米",
        -40,
        50,
        aliases=("坐位体前屈（cm）",),
    ),
    Item(
        "rope_skip_1min",
        "一分钟跳绳",
        "rope_skip_1min",
        "一分钟跳绳",
        "int",
        "次",
        0,
        300,
        aliases=("1分钟跳绳", "跳绳"),
    ),
    Item(
        "sit_up_1min",
        "一分钟仰卧起坐",
        "situps_1min",
        "一分钟仰卧起坐",
        "int",
        "次",
        0,
        100,
        aliases=("1分钟仰卧起坐", "仰卧起坐"),
    ),
    Item(
        "shuttle_run_50x8",
        "50米×8往返跑",
        "shuttle_50x8_s",
        "50米×8往返跑",
        "duration",
        "秒",
        60,
        300,
        False,
        ("50米x8往返跑", "50米*8往返跑", "50×8往返跑", "50米X8往返跑"),
    ),
    Item(
        "standing_long_jump",
        "立定跳远",
        "standing_long_jump_cm",
        "立定跳远",
        "decimal",
        "厘米",
        30,
        400,
        aliases=("立定跳远（cm）",),
    ),
    Item("pull_up", "引体向上", "pullups", "引体向上", "int", "次", 0, 60),
    Item("run_1000m", "1000米跑", "run_1000m_s", "1000米跑", "duration", "秒", 120, 900, False, ("1000米",)),
    Item("run_800m", "800米跑", "run_800m_s", "800米跑", "duration", "秒", 100, 900, False, ("800米",)),
)
ITEM_BY_KEY: dict[str, Item] = {i.key: i for i in ITEMS}
MEASURED_ITEMS: tuple[Item, ...] = tuple(i for i in ITEMS if i.key != BMI)
RAW_INPUTS: tuple[Item | Measure, ...] = (HEIGHT, WEIGHT, *MEASURED_ITEMS)
INPUT_COLUMNS: tuple[str, ...] = (HEIGHT.column, WEIGHT.column, *(i.column for i in MEASURED_ITEMS))

RATINGS = ("优秀", "良好", "及格", "不及格")
"""总分等级 and item 等级, best first."""
