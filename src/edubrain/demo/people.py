"""Fictional people for the demo: Chinese names (姓名) and valid, unique 身份证号 (GB 11643).

Everything draws from the caller's ``random.Random`` so the result is reproducible from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from itertools import accumulate

from edubrain.core.ids import id_check_digit
from edubrain.demo.catalog import load_json

HOME_REGION = "370323"  # 沂源县
# 随迁子女 and teachers from elsewhere: other 淄博 districts, 临沂, 潍坊, 济南, 河南, 河北.
OTHER_REGIONS = (
    "370302",
    "370303",
    "370304",
    "370305",
    "371302",
    "371321",
    "370724",
    "370102",
    "410105",
    "130102",
    "371323",
)


class NameMaker:
    """Draws names from the weighted surname list and given-name characters in ``data/demo_names.json``."""

    def __init__(self, rng: random.Random) -> None:
        data = load_json("demo_names.json")
        self.rng = rng
        self.surnames = [s for s, _ in data["surnames"]]
        self.cum = list(accumulate(w for _, w in data["surnames"]))
        self.male = data["given_male"] + data["given_neutral"]
        self.female = data["given_female"] + data["given_neutral"]

    def __call__(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, cum_weights=self.cum)[0]
        chars = self.male if male else self.female
        given = rng.choice(chars) if rng.random() < 0.2 else rng.choice(chars) + rng.choice(chars)
        return surname + given


class IdMaker:
    """Allocates unique 18-digit 身份证号: region + birth date + 3-digit sequence (odd = 男) + check digit."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, birth: dt.date, male: bool, region: str = HOME_REGION) -> str:
        stem = region + birth.strftime("%Y%m%d")
        start = self.rng.randrange(0, 500)
        for k in range(500):
            seq = 2 * ((start + k) % 500) + (1 if male else 0)
            first17 = f"{stem}{seq:03d}"
            if first17 not in self.used:
                self.used.add(first17)
                return first17 + id_check_digit(first17)
        raise RuntimeError(f"演示数据身份证号顺序码已用尽：{stem}")

    def region(self, migrant: bool) -> str:
        return self.rng.choice(OTHER_REGIONS) if migrant else HOME_REGION


def birth_date_for(rng: random.Random, grade_index: int, start_year: int) -> dt.date:
    """A birth date so that the child is the right age for the grade on 1 September of ``start_year``.

    Grade index 0 (小班) is entered at age 3: born between 1 Sep (Y−4) and 31 Aug (Y−3).
    """
    first = dt.date(start_year - 4 - grade_index, 9, 1)
    return first + dt.timedelta(days=rng.randrange(365))


def adult_birth_date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
