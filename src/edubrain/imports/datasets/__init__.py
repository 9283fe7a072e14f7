"""The importable datasets by name (the CLI's DATASET argument, the upload form's choice)."""

from __future__ import annotations

from edubrain.imports.datasets.base import DatasetConfig
from edubrain.imports.datasets.classes import CLASSES
from edubrain.imports.datasets.facilities import FACILITIES
from edubrain.imports.datasets.finance import FINANCE
from edubrain.imports.datasets.fitness import FITNESS
from edubrain.imports.datasets.population import POPULATION
from edubrain.imports.datasets.schools import SCHOOLS
from edubrain.imports.datasets.staff import STAFF
from edubrain.imports.datasets.students import STUDENTS
from edubrain.imports.datasets.vision import VISION

DATASETS: dict[str, DatasetConfig] = {
    "schools": SCHOOLS,
    "classes": CLASSES,
    "students": STUDENTS,
    "staff": STAFF,
    "facilities": FACILITIES,
    "finance": FINANCE,
    "population": POPULATION,
    "fitness": FITNESS,
    "vision": VISION,
}

__all__ = ["DATASETS", "DatasetConfig"]
