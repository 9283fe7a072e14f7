"""A school with three pupils born 2012-05-01 (age 12 at the 2024 autumn screening)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from factories import SchoolFactory, SchoolYearFactory, StudentFactory


@pytest.fixture
def school(db):
    SchoolYearFactory(start_year=2024)
    SchoolYearFactory(start_year=2025)
    return SchoolFactory(name="视力测试小学")


@pytest.fixture
def pupils(school):
    return [StudentFactory(school=school, birth_date=dt.date(2012, 5, 1)) for _ in range(3)]


def write_csv(path, rows, headers):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path
