"""Real identifiers: 身份证号 (GB 11643-1999 公民身份号码), 学校标识码, 行政区划代码, 学籍号.

Scalar validators for forms and models, and vectorised polars expressions for imports.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from edubrain.core.errors import CoreError

ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
# ASCII digits only: ``\d`` would also accept full-width and other Unicode digits (e.g. "３７０３").
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_SCHOOL_CODE_RE = re.compile(r"^[0-9]{10}$")
_DIVISION_RE = re.compile(r"^(?:[0-9]{6}|[0-9]{9}|[0-9]{12})$")
MIN_BIRTH_YEAR = 1900
# 全国中小学生学籍号: "G" + 身份证号, or "L" + a provisional 18-character code for pupils without one.
_XJH_RE = re.compile(r"^[GLJ][0-9A-Z]{18}$", re.ASCII)
# 手机号: 11 digits starting 1[3-9] (mainland mobile numbers)
_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def id_check_digit(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def normalise_id_number(value: str) -> str:
    """Strip blanks and upper-case the check character ('x' → 'X')."""
    return value.strip().replace(" ", "").upper()


def id_birth_date(id_number: str) -> dt.date:
    """The birth date encoded in positions 7–14."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_sex(id_number: str) -> str:
    """'男' if the 17th digit is odd, else '女'."""
    return "男" if int(id_number[16]) % 2 else "女"


def validate_id_number(value: str, today: dt.date | None = None) -> str:
    """Validate an 18-digit 身份证号 and return it normalised, or raise CoreError with a Chinese message."""
    number = normalise_id_number(value)
    if not _ID_RE.fullmatch(number):
        raise CoreError("id.format", f"身份证号“{value}”应为18位：前17位数字，最后一位数字或X")
    try:
        born = id_birth_date(number)
    except ValueError:
        raise CoreError("id.birth", f"身份证号“{value}”中的出生日期{number[6:14]}不是有效日期")
    if born > (today or dt.date.today()) or born.year < MIN_BIRTH_YEAR:
        raise CoreError("id.birth", f"身份证号“{value}”中的出生日期{born.isoformat()}不合理")
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise CoreError("id.checksum", f"身份证号“{value}”校验位错误：最后一位应为{expected}")
    return number


def is_valid_id_number(value: str, today: dt.date | None = None) -> bool:
    try:
        validate_id_number(value, today)
    except CoreError:
        return False
    return True


def mask_id_number(value: str | None) -> str:
    """Show the 4-digit prefix and last 4 characters: 3703**********1234."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三 → 张*; 欧阳娜娜 → 欧***."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def validate_phone(value: str) -> str:
    """手机号: 11 digits, 13x–19x; blanks and dashes are dropped. CoreError with a Chinese message."""
    phone = value.strip().replace(" ", "").replace("-", "")
    if not _PHONE_RE.fullmatch(phone):
        raise CoreError("phone.format", f"手机号“{value}”应为11位数字，以13—19开头")
    return phone


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def validate_school_code(value: str) -> str:
    """学校标识码: 10 digits issued by the MOE."""
    code = value.strip()
    if not _SCHOOL_CODE_RE.fullmatch(code):
        raise CoreError("school_code.format", f"学校标识码“{value}”应为10位数字")
    return code


def validate_division_code(value: str) -> str:
    """行政区划代码: 6 digits (county), 9 (镇/街道) or 12 (村/社区)."""
    code = value.strip()
    if not _DIVISION_RE.fullmatch(code):
        raise CoreError("division.format", f"行政区划代码“{value}”应为6位（县级）、9位（乡镇街道）或12位数字")
    return code


def validate_student_number(value: str) -> str:
    """学籍号: a letter G/L/J followed by 18 characters; with G, the 18 must be a valid 身份证号."""
    number = value.strip().upper()
    if not _XJH_RE.fullmatch(number):
        raise CoreError("xjh.format", f"学籍号“{value}”应为字母G/L/J加18位编码")
    if number[0] == "G":
        try:
            validate_id_number(number[1:])
        except CoreError as exc:
            raise CoreError("xjh.id", f"学籍号“{value}”所含身份证号无效：{exc.message}")
    return number


def id_number_valid_expr(column: str, today: dt.date | None = None) -> pl.Expr:
    """Vectorised ``is_valid_id_number`` over a string column: True where format, birth date (a real date,
    not before 1900, not after ``today``) and check digit are right; False for nulls."""
    col = pl.col(column).str.strip_chars().str.replace_all(" ", "", literal=True).str.to_uppercase()
    digits = [col.str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(17)]
    total = pl.sum_horizontal([d * w for d, w in zip(digits, ID_WEIGHTS, strict=True)])
    expected = pl.lit(list(ID_CHECK_CODES)).list.get(total % 11)
    birth = col.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    valid = (
        col.str.contains(r"^[0-9]{17}[0-9X]$")
        & birth.is_not_null()
        & (birth.dt.year() >= MIN_BIRTH_YEAR)
        & (birth <= pl.lit(today or dt.date.today()))
        & (col.str.slice(17, 1) == expected)
    )
    return valid.fill_null(False)


def mask_id_expr(column: str) -> pl.Expr:
    """Vectorised ``mask_id_number`` for export frames (same output for every length; nulls become "")."""
    col = pl.col(column)
    length = col.str.len_chars()
    stars = pl.lit("*").repeat_by(length - 8).list.join("")
    all_stars = pl.lit("*").repeat_by(length).list.join("")
    return (
        pl.when(col.is_null() | (length == 0))
        .then(pl.lit(""))
        .when(length <= 8)
        .then(all_stars)
        .otherwise(col.str.slice(0, 4) + stars + col.str.slice(-4, 4))
    )
