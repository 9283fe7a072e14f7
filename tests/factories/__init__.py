"""factory_boy factories for the registries; every generated identifier is valid (checksums included).

The session's test database already holds the demo county (370323, see tests/conftest.py), so factories build
their own tree under a different county (测试县, 379901) with identifiers the demo never uses: 学校标识码
39990xxxxx, 身份证号 regions 3799xx.
"""

from __future__ import annotations

import datetime as dt

import factory

from edubrain.accounts.models import Role, User
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.ids import id_check_digit
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Enrollment,
    Facility,
    Finance,
    Population,
    ResponsibleUnit,
    School,
    SchoolCapacity,
    SchoolClass,
    SchoolingYears,
    SchoolYear,
    SchoolZone,
    Staff,
    StaffTraining,
    Student,
)

PASSWORD = "test-pass-123"


TEST_COUNTY_CODE = "379901"


def make_id_number(seq: int, birth: dt.date, male: bool, region: str = TEST_COUNTY_CODE) -> str:
    """A valid 18-digit 身份证号 with the given birth date and sex, distinct for every ``seq``."""
    order = (seq % 500) * 2 + (1 if male else 0)
    region = f"{int(region) + seq // 500:06d}"
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("division_code",)

    kind = OrgKind.COUNTY
    name = "测试县"
    division_code = TEST_COUNTY_CODE


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    kind = OrgKind.TOWN
    name = factory.Sequence(lambda n: f"测试镇{n}")
    division_code = factory.Sequence(lambda n: f"{TEST_COUNTY_CODE}{100 + n % 900:03d}")
    parent = factory.SubFactory(CountyFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    code = factory.Sequence(lambda n: f"{3999000000 + n:010d}")
    name = factory.Sequence(lambda n: f"测试小学{n}")
    school_type = "primary"
    town = factory.SubFactory(TownFactory)


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("start_year",)

    start_year = 2024


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    grade_code = "11"
    number = factory.Sequence(lambda n: n + 1)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"学生{n}")
    sex = factory.Sequence(lambda n: "M" if n % 2 else "F")
    birth_date = dt.date(2017, 3, 15)
    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(n, o.birth_date, o.sex == "M"))
    student_number = factory.LazyAttribute(lambda o: f"G{o.id_number}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    school_class = factory.SubFactory(SchoolClassFactory, school=factory.SelfAttribute("..student.school"))
    school_year = factory.SelfAttribute("school_class.school_year")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"教师{n}")
    sex = "F"
    birth_date = dt.date(1985, 6, 1)
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(n, o.birth_date, o.sex == "M", region="379902")
    )
    education = "bachelor"
    subject = "语文"
    joined_year = 2015


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    land_area = 20000
    building_area = 8000
    teaching_area = 5000
    sports_area = 6000
    equipment_value = 1500000


class ResponsibleUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibleUnit

    name = factory.Sequence(lambda n: f"县测试局{n}")
    county = factory.SubFactory(CountyFactory)


class SchoolZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolZone

    name = factory.Sequence(lambda n: f"测试学区{n}")
    county = factory.SubFactory(CountyFactory)


class SchoolCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolCapacity

    school = factory.SubFactory(SchoolFactory)
    grade_code = "11"
    places = 90


class EducationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationGroup

    name = factory.Sequence(lambda n: f"测试教育集团{n}")
    kind = "urban_rural"
    core_school = factory.SubFactory(SchoolFactory)


class StaffTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffTraining

    staff = factory.SubFactory(StaffFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    hours = 72


class FinanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finance

    org_unit = factory.SubFactory(CountyFactory)
    year = 2024
    general_budget = 1_000_000
    preschool = 100_000
    primary = 300_000
    junior = 200_000
    senior = 150_000
    vocational = 100_000
    special = 10_000


class BirthsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Births

    org_unit = factory.SubFactory(TownFactory)
    year = 2024
    births = 300


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    org_unit = factory.SubFactory(TownFactory)
    year = 2024
    age = 6
    population = 320


class SchoolingYearsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolingYears

    org_unit = factory.SubFactory(CountyFactory)
    year = 2024
    years = "10.50"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_STAFF
    org_unit = factory.SubFactory(CountyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def png_bytes(width: int = 2, height: int = 2, shade: int = 128) -> bytes:
    """A real (tiny, grey) PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def attachments_in(settings, directory):
    """Point the one attachments storage (``STORAGES["attachments"]``) at ``directory`` for this test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory)},
        },
    }
    return directory
