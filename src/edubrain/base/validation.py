"""Bridge from the core's typed errors to Django field validators (module-level, so migrations can name
them), and the abstract ``ValidatedModel`` that makes Django's generic messages name their field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from edubrain.core import ids
from edubrain.core.errors import CoreError


def _run(func: Callable[[str], str], value: str) -> None:
    if value in (None, ""):
        return
    try:
        func(value)
    except CoreError as exc:
        raise ValidationError(exc.message, code=exc.code)


def error_messages(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]} for a form page; messages without a field under ""."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


def validate_id_number(value: str) -> None:
    """身份证号 (GB 11643 checksum)."""
    _run(ids.validate_id_number, value)


def validate_school_code(value: str) -> None:
    """学校标识码 (10 digits)."""
    _run(ids.validate_school_code, value)


def validate_division_code(value: str) -> None:
    """行政区划代码 (6/9/12 digits)."""
    _run(ids.validate_division_code, value)


def validate_student_number(value: str) -> None:
    """学籍号."""
    _run(ids.validate_student_number, value)


REQUIRED_MESSAGE = "这个字段是必填项。"
# Django's own field error codes (translated by LANGUAGE_CODE = zh-hans, but not naming the field).
GENERIC_CODES = frozenset(
    {
        "null",
        "blank",
        "invalid",
        "invalid_choice",
        "max_length",
        "min_length",
        "max_value",
        "min_value",
        "max_digits",
        "max_decimal_places",
        "max_whole_digits",
        "invalid_date",
        "overflow",
    }
)


class ValidatedModel(models.Model):
    """Abstract base: Django's generic uniqueness messages in readable Chinese that name the fields, and
    constraint errors attached to a field where the model says so (``constraint_fields``)."""

    #: constraint name → field the violation is reported on (otherwise it is a non-field error).
    constraint_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's generic field messages, prefixed with the field's label so every message names its field;
        a missing foreign key reads "必填" like any other required field (not "不能为 null")."""
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(
                {name: [self._labelled(name, e) for e in items] for name, items in exc.error_dict.items()}
            ) from None

    def _labelled(self, name: str, error: ValidationError) -> ValidationError:
        if name == NON_FIELD_ERRORS or error.code not in GENERIC_CODES:
            return error
        field = self._meta.get_field(name)
        label = str(field.verbose_name)
        if error.code in ("null", "blank"):
            text = REQUIRED_MESSAGE
        elif error.code == "invalid" and field.is_relation and field.related_model is not None:
            text = f"所选的{field.related_model._meta.verbose_name}不存在或不符合要求"
        else:
            text = str(error.message % (error.params or {}))
        return ValidationError(f"{label}：{text}", code=error.code)

    def unique_error_message(self, model_class: type[models.Model], unique_check: tuple[str, ...]) -> Any:
        opts = model_class._meta
        fields = [opts.get_field(name) for name in unique_check]
        if len(fields) == 1:
            field = fields[0]
            custom = field.error_messages.get("unique")
            if custom and custom != models.Field.default_error_messages["unique"]:
                return super().unique_error_message(model_class, unique_check)
            value = getattr(self, field.attname, "")
            return ValidationError(
                f"{field.verbose_name}“{value}”已存在，不能重复", code="unique", params={"field": field.name}
            )
        labels = "、".join(str(f.verbose_name) for f in fields)
        return ValidationError(
            f"{labels}相同的{opts.verbose_name}已存在：{labels}的组合不能重复",
            code="unique_together",
            params={"fields": unique_check},
        )

    def validate_constraints(self, exclude: Any = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            if not self.constraint_fields:
                raise
            raise ValidationError(self._remap_constraint_errors(exc.error_dict)) from None

    def _remap_constraint_errors(self, errors: dict[str, list[ValidationError]]) -> dict[str, list[Any]]:
        remapped: dict[str, list[Any]] = {}
        for key, items in errors.items():
            for item in items:
                target = self.constraint_fields.get(item.code or "", key) if key == NON_FIELD_ERRORS else key
                remapped.setdefault(target, []).append(item)
        return remapped
