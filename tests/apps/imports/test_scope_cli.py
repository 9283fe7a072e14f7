"""Scope per role, the CLI's --json object and exit codes, size limit, template and export round trip."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from edubrain.accounts.models import Role
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.registry.models import Student
from factories import UserFactory

from .conftest import admin_of, student_row, write_csv, xlsx_headers

pytestmark = pytest.mark.django_db


def cli(*args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("import", *map(str, args), "--json", stdout=out)
    return code.value.code, json.loads(out.getvalue())


def test_school_admin_only_own_school(school, other_school, tmp_path):
    rows = [student_row(school, 1), student_row(other_school, 2)]
    batch = services.preview(
        services.create_batch(admin_of(school), "students", write_csv(tmp_path / "s.csv", rows), "s.csv")
    )
    assert batch.school == school and batch.invalid == 1
    assert batch.error_list()[0]["message"] == "无权导入其他学校的数据"


def test_leader_may_not_import(school, tmp_path):
    leader = UserFactory(role=Role.LEADER, org_unit=school.town.parent)
    with pytest.raises(PermissionDenied, match="只读"):
        services.create_batch(leader, "students", write_csv(tmp_path / "s.csv", []), "s.csv")


def test_student_of_school_outside_scope_is_refused(school, other_school, tmp_path):
    services.commit(
        services.preview(
            services.create_batch(
                None,
                "students",
                write_csv(tmp_path / "a.csv", [student_row(other_school, 5, klass=False)]),
                "a.csv",
            )
        ),
        None,
    )
    moved = student_row(school, 5, klass=False)
    batch = services.preview(
        services.create_batch(admin_of(school), "students", write_csv(tmp_path / "b.csv", [moved]), "b.csv")
    )
    assert batch.invalid == 1 and "不在您的管理范围" in batch.error_list()[0]["message"]


def test_cli_json_and_exit_codes(school, tmp_path):
    good = write_csv(tmp_path / "good.csv", [student_row(school, i) for i in range(2)])
    code, data = cli("students", good, "--dry-run")
    assert code == 0 and {"new", "changed", "unchanged", "invalid", "errors"} <= set(data)
    assert data["new"] == 2 and not Student.objects.filter(school=school).exists()
    bad_row = student_row(school, 3)
    bad_row[5] = "2999-01-01"
    code, data = cli("students", write_csv(tmp_path / "bad.csv", [bad_row]))
    assert code == 1 and set(data["errors"][0]) >= {"sheet", "row", "column", "value", "message"}
    assert data["errors"][0]["row"] == 2
    (tmp_path / "x.csv").write_bytes(b"")
    assert cli("students", tmp_path / "x.csv")[0] == 2
    assert cli("nosuch", good)[0] == 2
    code, data = cli("students", good)
    assert code == 0 and data["committed"] and Student.objects.filter(school=school).count() == 2


def test_oversize_file_refused(school, tmp_path, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "IMPORT_MAX_BYTES": 100}
    path = write_csv(tmp_path / "s.csv", [student_row(school, i) for i in range(5)])
    with pytest.raises(services.ImportRefused, match="大小上限"):
        services.create_batch(None, "students", path, "s.csv")


def test_missing_required_column_is_file_error(school, tmp_path):
    path = write_csv(tmp_path / "s.csv", [["张三"]], headers=["姓名"])
    batch = services.preview(services.create_batch(None, "students", path, "s.csv"))
    assert batch.status == "failed" and batch.file_error and not batch.can_commit


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_template_headers_equal_spec(name):
    config = DATASETS[name]
    assert xlsx_headers(config.template_workbook()) == [c.header for c in config.spec.columns]


def test_export_reimports_unchanged(school, bureau_admin, tmp_path):
    services.commit(
        services.preview(
            services.create_batch(
                None,
                "students",
                write_csv(tmp_path / "a.csv", [student_row(school, i) for i in range(3)]),
                "a.csv",
            )
        ),
        None,
    )
    data = DATASETS["students"].export(bureau_admin, "xlsx")
    (tmp_path / "e.xlsx").write_bytes(data)
    batch = services.preview(services.create_batch(bureau_admin, "students", tmp_path / "e.xlsx", "e.xlsx"))
    assert batch.invalid == 0, batch.error_list()[:3]
    assert batch.new == 0 and batch.changed == 0 and batch.unchanged >= 3


def test_export_masks_personal_numbers_for_roles_without_the_right(school, bureau, bureau_admin, tmp_path):
    import polars as pl

    rows = [student_row(school, i) for i in range(2)]
    services.commit(
        services.preview(
            services.create_batch(None, "students", write_csv(tmp_path / "a.csv", rows), "a.csv")
        ),
        None,
    )
    full = pl.read_csv(DATASETS["students"].export(bureau_admin, "csv"), infer_schema=False)
    masked = pl.read_csv(DATASETS["students"].export(bureau, "csv"), infer_schema=False)
    mine = {r[2] for r in rows}
    assert mine <= set(full["身份证号"].to_list())
    assert not mine & set(masked["身份证号"].to_list())
    shown = masked.filter(pl.col("姓名") == rows[0][3])
    assert shown["身份证号"][0] == rows[0][2][:4] + "*" * 10 + rows[0][2][-4:]
    assert shown["学籍号"][0] == rows[0][1][:4] + "*" * 11 + rows[0][1][-4:]
    assert shown["姓名"][0] == rows[0][3]  # names stay: the role may see the row
