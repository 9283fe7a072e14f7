"""Forms of the import pages: the upload (dataset, file, school, sheet) and the commit choice."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms

from edubrain.accounts.models import Role
from edubrain.registry.models import School

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")
ACCEPT = ",".join(ALLOWED_SUFFIXES)


def dataset_choices() -> list[tuple[str, str]]:
    from edubrain.imports.datasets import DATASETS

    return [(name, str(cfg.label)) for name, cfg in DATASETS.items()]


def fixed_school(user: Any) -> School | None:
    """A school administrator imports only for their own school: the school of their org unit."""
    if getattr(user, "role", None) != Role.SCHOOL_ADMIN or user.is_superuser:
        return None
    return School.objects.filter(org_unit_id=user.org_unit_id).first()


def check_file_name(name: str) -> str:
    """The uploaded file's name must end in .xlsx, .xls or .csv (the reader checks the content)."""
    if PurePath(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise forms.ValidationError("只支持 Excel（.xlsx、.xls）或 CSV（.csv）文件")
    return name


class UploadForm(forms.Form):
    """上传文件: school administrators are fixed to their school; bureau users may choose one or none."""

    dataset = forms.ChoiceField(label="数据类型", choices=())
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="支持 .xlsx、.xls、.csv；CSV 可为 UTF-8 或 GBK 编码",
        error_messages={"required": "请选择要上传的文件", "empty": "上传的文件是空的"},
    )
    school = forms.ModelChoiceField(
        label="学校",
        queryset=School.objects.none(),
        required=False,
        empty_label="不指定（按文件中的学校）",
    )
    sheet = forms.CharField(
        label="工作表",
        max_length=100,
        required=False,
        help_text="留空则读取第一个有数据的工作表",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["dataset"].choices = dataset_choices()
        self.fixed = fixed_school(user)
        if self.fixed is not None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = (
                School.objects.visible_to(user).order_by("org_unit__path")  # type: ignore[attr-defined]
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_file_name(upload.name)
        return upload

    def clean_sheet(self) -> str | None:
        return self.cleaned_data.get("sheet", "").strip() or None

    def chosen_school(self) -> School | None:
        if self.fixed is not None:
            return self.fixed
        return self.cleaned_data.get("school")


class CommitForm(forms.Form):
    """仅导入正确的行 (only_valid) or 全部导入."""

    only_valid = forms.BooleanField(required=False)
