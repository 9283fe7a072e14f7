"""County registries (基础数据): schools, school years, classes, students, staff, facilities, finance,
population and responsible units. Every scoped model names its path to the org tree in ``scope_path_field``.
"""

from edubrain.registry.models_figures import Births, Facility, Finance, Population, SchoolingYears
from edubrain.registry.models_org import EducationGroup, ResponsibleUnit, School, SchoolCapacity, SchoolZone
from edubrain.registry.models_people import Enrollment, SchoolClass, SchoolYear, Staff, StaffTraining, Student

__all__ = [
    "Births",
    "EducationGroup",
    "Enrollment",
    "Facility",
    "Finance",
    "Population",
    "ResponsibleUnit",
    "School",
    "SchoolCapacity",
    "SchoolClass",
    "SchoolYear",
    "SchoolZone",
    "SchoolingYears",
    "Staff",
    "StaffTraining",
    "Student",
]
