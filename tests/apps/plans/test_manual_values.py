"""人工填报指标: hand-entered indicator values, saved one by one through the ORM (so audited), checked as
numbers in a sensible range, for the county or a 镇/街道; only the bureau's administrators and staff write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.base.audit import AuditLog
from edubrain.plans.adopt import adopt, create_draft
from edubrain.plans.forms import range_for
from edubrain.plans.models import IndicatorValue

from . import support_import as support
from .support_import import client_for, small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures

MANUAL = reverse("plan_import:manual")
SHARE = "teacher_research_share"  # 掌握教科研基本流程的一线教师占比, %, county only
OTHER = "research_backbone_share"  # 成长为教科研骨干力量的一线教师占比, %, county only
MYOPIA = "myopia_rate"  # 总体近视率: computed from the vision screenings
PUBLIC_KG = "public_kindergarten_share"  # computed, county and 镇/街道, a target of the small plan


def field(code, year):
    return f"v-{code}-{year}"


def post(client, area, unit=None, **values):
    data = {"unit": str((unit or area.county).pk)}
    data.update({field(*key.rsplit("_", 1)): v for key, v in values.items()})
    return client.post(MANUAL, data)


def stored(area, code, year, unit=None):
    return IndicatorValue.objects.filter(
        indicator__code=code, org_unit=unit or area.county, year=year
    ).first()


@pytest.fixture
def with_plan(area):
    adopt(create_draft(small_plan(), county=area.county))  # 2021—2025: the page shows 2020—2025
    return area


def test_page_lists_the_manual_indicators_by_year(with_plan):
    page = client_for(with_plan.users.staff).get(MANUAL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-indicator="{SHARE}"' in html and f'data-indicator="{OTHER}"' in html
    assert 'data-indicator="preschool_gross_rate"' not in html  # computed from data
    assert f'data-indicator="{MYOPIA}"' not in html
    assert f'name="{field(SHARE, 2020)}"' in html and f'name="{field(SHARE, 2025)}"' in html
    assert f'name="{field(SHARE, 2019)}"' not in html


def test_values_are_saved_as_manual_with_who_entered_them_and_audited(with_plan):
    area = with_plan
    client = client_for(area.users.staff)
    response = post(client, area, **{f"{SHARE}_2024": "62.5", f"{OTHER}_2024": "51.2%"})
    assert response.status_code == 302
    value = stored(area, SHARE, 2024)
    assert (value.value, value.source, value.entered_by) == (62.5, "manual", area.users.staff)
    assert stored(area, OTHER, 2024).value == 51.2
    log = AuditLog.objects.filter(model="plans.IndicatorValue", object_id=str(value.pk))
    assert log.get().action == "create" and log.get().user == area.users.staff

    post(client, area, **{f"{SHARE}_2024": "64", f"{OTHER}_2024": "51.2"})
    value.refresh_from_db()
    assert value.value == 64
    update = AuditLog.objects.filter(
        model="plans.IndicatorValue", object_id=str(value.pk), action="update"
    ).get()
    assert update.changes["value"] == ["62.5", "64.0"] and update.user == area.users.staff
    other = stored(area, OTHER, 2024)
    assert not AuditLog.objects.filter(object_id=str(other.pk), action="update").exists()  # unchanged

    post(client, area, **{f"{SHARE}_2024": "", f"{OTHER}_2024": "51.2"})
    assert stored(area, SHARE, 2024) is None
    assert AuditLog.objects.filter(
        model="plans.IndicatorValue", object_id=str(value.pk), action="delete"
    ).exists()


def test_a_town_has_its_own_values(with_plan):
    """No hand-entered indicator is kept per 镇/街道 any more (总体近视率 is computed): a town fills in a
    targeted computed indicator the engine found no data for."""
    from edubrain.plans.adopt import ensure_catalogue

    area = with_plan
    indicator = ensure_catalogue({PUBLIC_KG})[PUBLIC_KG]
    IndicatorValue.objects.create(
        indicator=indicator, org_unit=area.town, year=2023, value=None, source="computed", note="缺少数据"
    )
    client = client_for(area.users.admin)
    page = client.get(MANUAL, {"unit": area.town.pk}).content.decode()
    assert f'data-indicator="{PUBLIC_KG}"' in page and f'data-indicator="{SHARE}"' not in page
    post(client, area, unit=area.town, **{f"{PUBLIC_KG}_2023": "48"})
    assert stored(area, PUBLIC_KG, 2023, unit=area.town).value == 48
    assert stored(area, PUBLIC_KG, 2023) is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0", True), ("100", True), ("99.9", True), ("100.1", False), ("-0.1", False), ("六十", False)],
)
def test_percentages_between_0_and_100(with_plan, text, ok):
    area = with_plan
    response = post(client_for(area.users.staff), area, **{f"{SHARE}_2022": text})
    if ok:
        assert response.status_code == 302 and stored(area, SHARE, 2022).value == float(text)
    else:
        assert response.status_code == 400 and stored(area, SHARE, 2022) is None
        html = response.content.decode()
        assert "“掌握教科研基本流程的一线教师占比”2022年" in html
        assert ("不是数字" if text == "六十" else "不在合理范围内（应在 0 到 100）") in html


def test_one_bad_cell_saves_nothing(with_plan):
    area = with_plan
    response = post(client_for(area.users.staff), area, **{f"{SHARE}_2021": "50", f"{SHARE}_2022": "150"})
    assert response.status_code == 400
    assert stored(area, SHARE, 2021) is None


def test_ranges_by_unit():
    assert range_for("%") == (0, 100)
    assert range_for("%", "义务教育教师平均工资收入与当地公务员之比") == (0, 200)
    assert range_for("%", "学前三年毛入园率") == (0, 200)
    assert range_for("年") == (0, 25)
    assert range_for("元") == (0, None)


def test_a_computed_value_is_not_overwritten(with_plan):
    area = with_plan
    from edubrain.plans.adopt import ensure_catalogue

    indicator = ensure_catalogue({MYOPIA})[MYOPIA]
    computed = IndicatorValue.objects.create(
        indicator=indicator, org_unit=area.county, year=2021, value=50.0, source="computed"
    )
    response = post(client_for(area.users.staff), area, **{f"{MYOPIA}_2021": "10"})
    assert response.status_code == 302
    computed.refresh_from_db()
    assert computed.value == 50.0 and computed.source == "computed"


def test_leader_reads_only(with_plan):
    area = with_plan
    client = client_for(area.users.leader)
    page = client.get(MANUAL)
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    assert post(client, area, **{f"{SHARE}_2024": "60"}).status_code == 403
    assert stored(area, SHARE, 2024) is None


def test_school_admin_has_no_area(with_plan):
    assert client_for(with_plan.users.school).get(MANUAL).status_code == 403


def test_an_area_outside_the_scope_is_not_found(with_plan, demo):
    response = client_for(with_plan.users.admin).get(MANUAL, {"unit": demo.county.pk})
    assert response.status_code == 404


def test_a_targeted_computed_indicator_without_data_can_be_filled_in(with_plan):
    """The engine stored NULL (no data) for 公办幼儿园在园幼儿占比, a target of the plan: the empty years can
    be filled in by hand; the year with a computed value stays read-only."""
    from edubrain.plans.adopt import ensure_catalogue

    area = with_plan
    code = "public_kindergarten_share"
    indicator = ensure_catalogue({code})[code]
    empty = IndicatorValue.objects.create(
        indicator=indicator, org_unit=area.county, year=2023, value=None, source="computed", note="缺少数据"
    )
    IndicatorValue.objects.create(indicator=indicator, org_unit=area.county, year=2024, value=61.0)
    client = client_for(area.users.admin)
    html = client.get(MANUAL).content.decode()
    assert f'data-indicator="{code}"' in html and "缺数据时人工填报" in html
    assert f'name="{field(code, 2023)}"' in html
    assert f'name="{field(code, 2024)}"' not in html and f'name="{field(code, 2022)}"' not in html
    assert post(client, area, **{f"{code}_2023": "58", f"{code}_2024": "1"}).status_code == 302
    empty.refresh_from_db()
    assert (empty.value, empty.source, empty.entered_by) == (58.0, "manual", area.users.admin)
    assert stored(area, code, 2024).value == 61.0  # computed, untouched
    assert AuditLog.objects.filter(
        model="plans.IndicatorValue", object_id=str(empty.pk), action="update"
    ).exists()


def test_recompute_keeps_manual_values(demo):
    """In the demo county (which has data to compute): hand-entered values survive a recompute."""
    from django.test import Client

    from edubrain.plans.compute import recompute

    county, staff = demo.county, demo.users["staff"]
    client = Client()
    client.force_login(staff)
    data = {"unit": str(county.pk), field(SHARE, 2024): "70", field(OTHER, 2024): "50"}
    assert client.post(MANUAL, data).status_code == 302
    recompute(county)
    share = IndicatorValue.objects.get(indicator__code=SHARE, org_unit=county, year=2024)
    assert (share.value, share.source, share.entered_by) == (70, "manual", staff)
    assert IndicatorValue.objects.get(indicator__code=OTHER, org_unit=county, year=2024).value == 50
    myopia = IndicatorValue.objects.get(indicator__code=MYOPIA, org_unit=county, year=2024)
    assert myopia.source == "computed" and myopia.value is not None  # from the demo's screenings
