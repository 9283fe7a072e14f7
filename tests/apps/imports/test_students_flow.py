"""Students end to end: file → preview (counts, nothing written) → commit (bulk, audited) → re-import."""

from __future__ import annotations

import pytest

from edubrain.base.audit import AuditLog
from edubrain.imports import services
from edubrain.imports.models import ImportBatch
from edubrain.registry.models import Enrollment, Student

from .conftest import student_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(path, user=None, **kw):
    batch = services.create_batch(user, "students", path, path.name, **kw)
    return services.preview(batch)


def test_preview_writes_nothing_and_commit_writes_all(school, tmp_path):
    rows = [student_row(school, i) for i in range(5)]
    batch = run(write_xlsx(tmp_path / "s.xlsx", rows))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.message
    assert (batch.new, batch.changed, batch.unchanged, batch.invalid) == (5, 0, 0, 0)
    assert not Student.objects.filter(school=school).exists()
    services.commit(batch, None, only_valid=False)
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.committed_rows == 5 and batch.progress == 100
    assert Student.objects.filter(school=school).count() == 5
    assert Enrollment.objects.filter(school_class__school=school).count() == 5
    assert AuditLog.objects.filter(model="registry.Student", action="bulk").exists()


def test_reimport_changes_nothing_and_change_is_detected(school, tmp_path):
    rows = [student_row(school, i) for i in range(3)]
    services.commit(run(write_csv(tmp_path / "a.csv", rows)), None)
    again = run(write_csv(tmp_path / "b.csv", rows))
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    rows[0][3] = "改名生"
    changed = run(write_csv(tmp_path / "c.csv", rows))
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 2)
    assert changed.sample_changes[0]["field"] == "姓名" and changed.sample_changes[0]["new"] == "改名生"
    services.commit(changed, None)
    assert Student.objects.get(student_number=rows[0][1]).name == "改名生"


def test_all_or_nothing_versus_only_valid(school, tmp_path):
    rows = [student_row(school, i) for i in range(3)]
    rows[1][2] = rows[1][2][:-1] + ("0" if rows[1][2][-1] != "0" else "1")  # bad checksum
    batch = run(write_csv(tmp_path / "bad.csv", rows))
    assert batch.invalid == 1 and batch.new == 2
    err = batch.error_list()[0]
    assert err["row"] == 3 and err["column"] == "身份证号" and "校验" in err["message"]
    with pytest.raises(services.ImportRefused):
        services.commit(batch, None, only_valid=False)
    assert not Student.objects.filter(school=school).exists()
    services.commit(batch, None, only_valid=True)
    assert Student.objects.filter(school=school).count() == 2


def test_failure_midway_leaves_database_as_before(school, tmp_path, monkeypatch):
    from edubrain.imports.datasets import students

    rows = [student_row(school, i) for i in range(3)]
    batch = run(write_csv(tmp_path / "s.csv", rows))

    def boom(*a, **k):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(students, "insert_frame", boom)  # students table written, enrolments fail
    result = services.commit(batch, None)
    assert result.status == "failed" and "未作任何修改" in result.message
    assert not Student.objects.filter(school=school).exists()


def test_id_must_match_birth_date_and_sex(school, tmp_path):
    row = student_row(school, 1)
    row[4] = "女"
    batch = run(write_csv(tmp_path / "s.csv", [row]))
    assert batch.invalid == 1 and "性别" in batch.error_list()[0]["message"]


def test_missing_class_is_a_row_error(school, tmp_path):
    row = student_row(school, 1)
    row[10] = 9
    batch = run(write_csv(tmp_path / "s.csv", [row]))
    assert batch.invalid == 1 and "班不存在" in batch.error_list()[0]["message"]


def test_error_workbook_has_error_column(school, tmp_path):
    from .conftest import xlsx_headers

    rows = [student_row(school, i) for i in range(2)]
    rows[0][5] = "2999-01-01"
    batch = run(write_xlsx(tmp_path / "s.xlsx", rows))
    assert batch.invalid == 1
    assert xlsx_headers(services.error_workbook(batch))[-1] == "错误说明"


def test_background_job_reaches_committed(school, tmp_path):
    batch = services.create_batch(
        None, "students", write_csv(tmp_path / "s.csv", [student_row(school, 1)]), "s.csv"
    )
    services.run_in_background(batch, "commit", user=None, only_valid=False)
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.progress == 100


def test_classes_import_and_grade_rule(school, tmp_path):
    from edubrain.registry.models import SchoolClass

    headers = ["学校标识码", "学年", "年级", "班号", "班级名称"]
    rows = [[school.code, "2024-2025", "一年级", 2, "一年级二班"], [school.code, "2024", "初一", 1, ""]]
    batch = services.preview(
        services.create_batch(None, "classes", write_csv(tmp_path / "c.csv", rows, headers=headers), "c.csv")
    )
    assert (batch.new, batch.invalid) == (1, 1) and "不设此年级" in batch.error_list()[0]["message"]
    services.commit(batch, None, only_valid=True)
    assert SchoolClass.objects.filter(school=school, number=2, grade_code="11").exists()
    again = services.preview(
        services.create_batch(
            None, "classes", write_csv(tmp_path / "d.csv", rows[:1], headers=headers), "d.csv"
        )
    )
    assert (again.new, again.unchanged) == (0, 1)


def test_file_without_the_optional_id_column_imports(school, tmp_path):
    """身份证号 is optional: a class list without it must preview and commit, not crash."""
    from .conftest import STUDENT_HEADERS

    drop = STUDENT_HEADERS.index("身份证号")
    headers = [h for i, h in enumerate(STUDENT_HEADERS) if i != drop]
    rows = [[v for i, v in enumerate(student_row(school, 40 + n)) if i != drop] for n in range(3)]
    batch = run(write_xlsx(tmp_path / "no_id.xlsx", rows, headers=headers))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.message
    assert (batch.new, batch.invalid) == (3, 0)
    services.commit(batch, None, only_valid=False)
    stored = Student.objects.filter(school=school)
    assert stored.count() == 3 and not stored.exclude(id_number=None).exists()
