"""Delete the demo county (``edubrain demo --reset``): its whole org tree with every row reaching it — the
plans of its areas and the indicator values of its org units included — and the demo accounts. Raw,
set-based deletes (no per-row signals), child tables first, inside the caller's transaction.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.demo.admission import delete_admission_demo
from edubrain.demo.balance import delete_balance_demo
from edubrain.demo.places import delete_places_demo
from edubrain.demo.work import delete_work_demo
from edubrain.fitness.models import FitnessMeasurement
from edubrain.plans.models import (
    IndicatorValue,
    KeyProject,
    Plan,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)
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
    SchoolZone,
    Staff,
    StaffTraining,
    Student,
)
from edubrain.vision.models import VisionFollowUp, VisionScreening


def _raw_delete(qs: QuerySet) -> int:
    return qs._raw_delete(qs.db)  # noqa: SLF001 — set-based delete without loading rows


def delete_demo(division_code: str, usernames: list[str]) -> dict[str, int]:
    """Remove the org tree above and below the county with this code, and the named users."""
    User = get_user_model()
    User.objects.filter(username__in=usernames).delete()
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, division_code=division_code).first()
    if county is None:
        return {}
    root = county.path.strip("/").split("/")[0]
    prefix = f"/{root}/"
    User.objects.filter(org_unit__path__startswith=prefix).update(org_unit=None)
    school = "school__org_unit__path__startswith"
    # rows of the county's schools or pupils (a pupil's record may sit at a school elsewhere)
    pupils = Q(**{school: prefix}) | Q(student__school__org_unit__path__startswith=prefix)
    plan = "plan__org_unit__path__startswith"
    # links into the demo plans and units from plans elsewhere (a city plan's child, a registry unit)
    Plan.objects.filter(parent__org_unit__path__startswith=prefix).update(parent=None)
    PlanTarget.objects.filter(parent_target__plan__org_unit__path__startswith=prefix).update(
        parent_target=None
    )
    TaskUnit.objects.filter(unit__org_unit__path__startswith=prefix).update(unit=None)
    # the admission, work, balance and places apps' own rows first (they point at plans, projects, schools,
    # units; admission applications PROTECT their rounds, areas and schools)
    deleted = {
        **delete_admission_demo(prefix),
        **delete_work_demo(prefix),
        **delete_balance_demo(prefix),
        **delete_places_demo(prefix),
    }
    steps: list[tuple[str, QuerySet]] = [
        ("indicator_value", IndicatorValue.objects.filter(org_unit__path__startswith=prefix)),
        ("task_unit", TaskUnit.objects.filter(task__plan__org_unit__path__startswith=prefix)),
        ("plan_target", PlanTarget.objects.filter(**{plan: prefix})),
        ("plan_task", PlanTask.objects.filter(**{plan: prefix})),
        ("plan_section", PlanSection.objects.filter(**{plan: prefix})),
        ("key_project", KeyProject.objects.filter(**{plan: prefix})),
        ("plan", Plan.objects.filter(org_unit__path__startswith=prefix)),
        ("fitness", FitnessMeasurement.objects.filter(pupils)),
        ("vision_followup", VisionFollowUp.objects.filter(pupils)),
        ("vision", VisionScreening.objects.filter(pupils)),
        ("enrollment", Enrollment.objects.filter(school_class__school__org_unit__path__startswith=prefix)),
        ("staff_training", StaffTraining.objects.filter(staff__school__org_unit__path__startswith=prefix)),
        ("school_class", SchoolClass.objects.filter(**{school: prefix})),
        ("student", Student.objects.filter(**{school: prefix})),
        ("group_member", EducationGroup.members.through.objects.filter(**{school: prefix})),
        ("education_group", EducationGroup.objects.filter(core_school__org_unit__path__startswith=prefix)),
        ("capacity", SchoolCapacity.objects.filter(**{school: prefix})),
        ("facility", Facility.objects.filter(**{school: prefix})),
        ("staff", Staff.objects.filter(**{school: prefix})),
        ("school", School.objects.filter(org_unit__path__startswith=prefix)),
        ("zone", SchoolZone.objects.filter(county__path__startswith=prefix)),
        ("responsible_unit", ResponsibleUnit.objects.filter(org_unit__path__startswith=prefix)),
        ("finance", Finance.objects.filter(org_unit__path__startswith=prefix)),
        ("births", Births.objects.filter(org_unit__path__startswith=prefix)),
        ("population", Population.objects.filter(org_unit__path__startswith=prefix)),
        ("schooling_years", SchoolingYears.objects.filter(org_unit__path__startswith=prefix)),
        ("org_unit", OrgUnit.objects.filter(path__startswith=prefix)),
    ]
    return deleted | {name: _raw_delete(qs) for name, qs in steps}
