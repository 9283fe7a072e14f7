"""User.clean (role ↔ org-unit kind), personal-data and write permissions per role, API tokens."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from edubrain.accounts.models import ApiToken, Role, User
from edubrain.base.masking import may_see_personal, show_id_number
from factories import CountyFactory, ResponsibleUnitFactory, SchoolFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db

ID = "370323201703150011"


@pytest.fixture
def units():
    school = SchoolFactory()
    return {
        "county": school.town.parent,
        "town": school.town,
        "school": school.org_unit,
        "unit": ResponsibleUnitFactory(county=school.town.parent).org_unit,
    }


ALLOWED = {
    Role.BUREAU_ADMIN: {"county"},
    Role.BUREAU_STAFF: {"county"},
    Role.LEADER: {"county"},
    Role.SCHOOL_ADMIN: {"school"},
    Role.UNIT_REPORTER: {"unit"},
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("kind", ["county", "town", "school", "unit"])
def test_role_and_org_unit_kind(units, role, kind):
    user = User(username=f"u-{role}-{kind}", role=role, org_unit=units[kind])
    if kind in ALLOWED[role]:
        user.full_clean(exclude=["password"])
        assert user.role_matches_unit()
    else:
        with pytest.raises(ValidationError) as err:
            user.full_clean(exclude=["password"])
        (message,) = err.value.message_dict["org_unit"]
        assert message.startswith(f"角色“{Role(role).label}”的所属机构应为：")
        assert not user.role_matches_unit()
        assert user.scope_unit() is None


def test_org_unit_required_except_for_superuser():
    with pytest.raises(ValidationError) as err:
        User(username="test-nobody-x", role=Role.LEADER).full_clean(exclude=["password"])
    assert err.value.message_dict["org_unit"] == ["请为用户指定所属机构"]
    User(username="test-root-x", is_superuser=True).full_clean(exclude=["password"])


PERSONAL = {
    Role.BUREAU_ADMIN: True,
    Role.BUREAU_STAFF: False,
    Role.LEADER: False,
    Role.SCHOOL_ADMIN: True,
    Role.UNIT_REPORTER: False,
}
WRITE = {
    Role.BUREAU_ADMIN: True,
    Role.BUREAU_STAFF: True,
    Role.LEADER: False,
    Role.SCHOOL_ADMIN: True,
    Role.UNIT_REPORTER: True,
}


@pytest.mark.parametrize("role", list(PERSONAL))
def test_personal_data_and_write_per_role(role):
    user = UserFactory(role=role, org_unit=CountyFactory())
    assert user.may_see_personal_data() is PERSONAL[role]
    assert may_see_personal(user) is PERSONAL[role]
    assert user.may_write() is WRITE[role]
    assert show_id_number(user, ID) == (ID if PERSONAL[role] else "3703**********0011")


def test_superuser_sees_personal_data():
    user = UserFactory(is_superuser=True, org_unit=None)
    assert user.may_see_personal_data() and user.may_write()
    assert user.role_label == "系统管理员"


def test_inactive_users_see_and_write_nothing():
    user = UserFactory(role=Role.BUREAU_ADMIN, is_active=False)
    assert not user.may_see_personal_data()
    assert not may_see_personal(user)
    assert not user.may_write()
    assert show_id_number(user, ID) == "3703**********0011"


def test_anonymous_sees_masked():
    from django.contrib.auth.models import AnonymousUser

    assert not may_see_personal(AnonymousUser())
    assert not may_see_personal(None)


def test_api_token_round_trip():
    user = UserFactory()
    token, key = ApiToken.issue(user, "测试")
    assert token.prefix == key[:8] and token.key_hash != key
    assert ApiToken.authenticate(key) == user
    assert ApiToken.authenticate(key + "x") is None
    user.is_active = False
    user.save()
    assert ApiToken.authenticate(key) is None


def test_town_factory_is_under_county():
    town = TownFactory()
    assert town.parent.kind == "county" and town.path.startswith(town.parent.path)
