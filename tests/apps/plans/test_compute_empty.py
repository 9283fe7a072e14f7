"""A county without schools (a new county being set up) recomputes to nothing, without an error."""

from __future__ import annotations

import pytest

from edubrain.plans.compute import recompute
from edubrain.plans.models import IndicatorValue
from factories import CountyFactory

pytestmark = pytest.mark.django_db


def test_recompute_of_a_county_without_schools():
    county = CountyFactory()
    result = recompute(county)
    assert (result["values"], result["replaced"], result["counties"]) == (0, 0, 1)
    assert not IndicatorValue.objects.filter(org_unit__path__startswith=county.path).exists()
