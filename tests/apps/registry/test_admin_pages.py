"""Every registry model has a working admin changelist, add form and search (as superuser)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from edubrain.accounts.models import Role
from factories import StudentFactory, UserFactory

REGISTRY_MODELS = list(apps.get_app_config("registry").get_models())


def test_every_registry_model_is_registered():
    missing = [m.__name__ for m in REGISTRY_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_superuser=True, is_staff=True, org_unit=None)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages(superuser_client, model):
    info = (model._meta.app_label, model._meta.model_name)
    page = superuser_client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "测试"})
    assert page.status_code == 200
    assert model._meta.verbose_name_plural in page.content.decode()
    assert superuser_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


@pytest.mark.django_db
def test_school_admin_changelist_is_scoped_and_masked(client):
    student = StudentFactory()
    other = StudentFactory()
    user = UserFactory(role=Role.LEADER, org_unit=student.school.town.parent, is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_student"))
    client.force_login(user)
    page = client.get(reverse("admin:registry_student_changelist")).content.decode()
    assert student.name in page and other.name in page  # same test county
    # leaders see masked ID numbers, and masked 学籍号 (a G 学籍号 is G + 身份证号)
    assert student.id_number not in page and "3799**********" in page and "G379***********" in page
    school_admin = UserFactory(role=Role.SCHOOL_ADMIN, org_unit=student.school.org_unit, is_staff=True)
    school_admin.user_permissions.add(Permission.objects.get(codename="view_student"))
    client.force_login(school_admin)
    page = client.get(reverse("admin:registry_student_changelist")).content.decode()
    assert student.name in page and other.name not in page
    assert student.id_number in page  # school administrators see their own pupils' ID numbers
