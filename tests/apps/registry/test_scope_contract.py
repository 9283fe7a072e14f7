"""Contract: every registry model with a ScopedManager has a scope_path_field resolving to OrgUnit.path."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import ForeignObjectRel

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedQuerySet

REGISTRY_MODELS = list(apps.get_app_config("registry").get_models())
SCOPED = [m for m in REGISTRY_MODELS if isinstance(m._default_manager.get_queryset(), ScopedQuerySet)]


def resolve(model, lookup: str):
    """Follow a ``a__b__c`` lookup through the model's fields; return the final field."""
    *relations, last = lookup.split("__")
    current = model
    for name in relations:
        field = current._meta.get_field(name)
        assert field.is_relation and not isinstance(field, ForeignObjectRel), f"{model.__name__}: {name}"
        assert not field.many_to_many, f"{model.__name__}: {name} is many-to-many (duplicate rows)"
        current = field.related_model
    return current, current._meta.get_field(last)


def test_every_registry_model_but_school_year_is_scoped():
    unscoped = {m.__name__ for m in REGISTRY_MODELS} - {m.__name__ for m in SCOPED}
    assert unscoped == {"SchoolYear"}
    assert len(SCOPED) == 15


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_scope_path_field_resolves_to_org_path(model):
    lookup = getattr(model, "scope_path_field", None)
    assert lookup, f"{model.__name__} has a ScopedManager but no scope_path_field"
    target, field = resolve(model, lookup)
    assert target is OrgUnit and field.name == "path"


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_visible_to_query_compiles(model):
    from factories import UserFactory

    user = UserFactory()
    assert list(model.objects.visible_to(user)) == []
