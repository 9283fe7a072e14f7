"""Builders for the web-shell test county: codes, ID numbers and names that never collide with the demo."""

from __future__ import annotations

import datetime as dt
import itertools

from factories import SchoolFactory, StaffFactory, StudentFactory, make_id_number

REGION = "370399"
_serial = itertools.count(1)


def make_school(town, name, school_type="primary"):
    return SchoolFactory(town=town, name=name, school_type=school_type, code=f"99{next(_serial):08d}")


def make_students(school, n):
    students = []
    for _ in range(n):
        i = next(_serial)
        birth = dt.date(2017, 3, 15)
        male = i % 2 == 0
        students.append(StudentFactory(school=school, name=f"测试生{i}", sex="M" if male else "F",
                                       birth_date=birth, id_number=make_id_number(i, birth, male, REGION)))
    return students


def make_staff(school, name, **kwargs):
    i = next(_serial)
    return StaffFactory(school=school, name=name, sex="F",
                        id_number=make_id_number(i, dt.date(1985, 6, 1), False, REGION), **kwargs)
