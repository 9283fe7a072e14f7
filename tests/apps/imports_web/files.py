"""Small import files for the tests: start from the dataset's own export of a school and edit a few rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from edubrain.imports.datasets import DATASETS

from .conftest import next_id_number


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]

    def index(self, key: str) -> int:
        return self.header.index(DATASETS["students"].header_of(key))

    def xlsx(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = "学生"
        ws.append(self.header)
        for row in self.rows:
            ws.append(row)
        for column in ws.iter_cols():  # keep ID numbers as text, as a careful clerk would
            for cell in column:
                cell.number_format = "@"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8-sig")


def read_table(content: bytes, fmt: str) -> tuple[list[str], list[list[str]]]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def exported_students(user) -> Sheet:
    header, rows = read_table(DATASETS["students"].export(user, fmt="csv"), "csv")
    return Sheet(header, rows)


def edited_students(user, *, invalid: bool = True) -> Sheet:
    """The school's students with one renamed (变更), one untouched (无变化), one new (新增) and, with
    ``invalid``, one with a wrong 身份证号 checksum (有误)."""
    sheet = exported_students(user)
    assert len(sheet.rows) == 2, sheet.rows
    name, id_number, number = sheet.index("name"), sheet.index("id_number"), sheet.index("student_number")
    sheet.rows[0][name] = sheet.rows[0][name] + "改"
    new = list(sheet.rows[1])
    new[id_number] = next_id_number()
    new[number] = f"G{new[id_number]}"
    new[name] = "测试甲三"
    sheet.rows.append(new)
    if invalid:
        bad = list(sheet.rows[1])
        good = next_id_number()
        bad[id_number] = good[:-1] + ("0" if good[-1] != "0" else "1")
        bad[number] = f"G{bad[id_number]}"
        bad[name] = "测试甲错"
        sheet.rows.append(bad)
    return sheet
