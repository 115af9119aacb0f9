"""Cell values as the provinces write them, turned into Python values.

Every parser takes what the reader gives (text, a number, a date or None) and raises
`CellError` with a Vietnamese message that the preview shows next to the row and column.
"""

import datetime
import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.text import clean_text, search_key
from core.xlsx import FORMULA_STARTS


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the user as it is."""


_BLANKS = {"", "-", "–", "—", "…", "..."}
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel serial numbers of 1/1/1950 and 31/12/2100: a bare number outside is not a date.
_SERIAL_RANGE = (18264, 73050)
_DATE = re.compile(
    r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(:\d{2})?)?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_NUMBER = re.compile(r"^[+-]?(\d[\d.,]*)$")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_STARS = re.compile(r"(\d)\s*(sao|\*|★)", re.IGNORECASE)
_YES = {"x", "co", "1", "✓", "✔", "√", "☑", "yes", "true", "dat", "v"}
_NO = {"", "khong", "0", "no", "false", "chua"}


def unescape(text: str) -> str:
    """Drop the "'" our export puts before a formula-like start ("'=A1" → "=A1")."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def is_blank(value) -> bool:
    """None, an empty cell or a dash standing for 'nothing'."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in _BLANKS
    return False


def has_value(cells: list) -> bool:
    """Whether any cell is not blank (`is_blank`): the same test, written out for speed, as
    every row of a file goes through it."""
    for value in cells:
        if value is None:
            continue
        if not isinstance(value, str) or value.strip() not in _BLANKS:
            return True
    return False


def _shown(value) -> str:
    return clean_text(str(value))[:60]


def parse_text(value) -> str:
    """NFC text, trimmed, inner spaces collapsed; a whole number read from a cell loses '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    return clean_text(unescape(str(value).lstrip()))


def clean_lines(value: str | None) -> str:
    """`clean_text` for each line of a multi-line text; blank lines at either end dropped."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(clean_text(line) for line in text.split("\n")).strip("\n")


def parse_notes(value) -> str:
    """Like `parse_text`, but line breaks inside the cell are kept."""
    if is_blank(value):
        return ""
    return clean_lines(unescape(str(value).lstrip()))


def parse_number(value) -> Decimal | None:
    """1.250.000, 1,250,000, 1.250,5, 1 250 000 and Excel numbers; None when blank.

    With one kind of separator, a single one followed by exactly three digits groups
    thousands (1.250 = 1250, as Vietnamese write it); otherwise it is the decimal point."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, int):
        return _within_reason(Decimal(value), value)
    if isinstance(value, float):
        return _within_reason(Decimal(repr(value)), value)
    text = _CURRENCY.sub("", clean_text(unescape(str(value))))
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if _SCIENTIFIC.match(text):
        return _within_reason(Decimal(text), value)
    match = _NUMBER.match(text)
    if not match:
        raise CellError(_("“%(value)s” không phải là số.") % {"value": _shown(value)})
    sign = "-" if text.startswith("-") else ""
    digits = match.group(1)
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        digits = digits.replace(grouping, "").replace(decimal_mark, ".")
    elif dots or commas:
        mark = "." if dots else ","
        whole, _sep, tail = digits.rpartition(mark)
        if dots + commas > 1 or len(tail) == 3:
            digits = digits.replace(mark, "")
        else:
            digits = f"{whole}.{tail}"
    try:
        number = Decimal(sign + digits)
    except InvalidOperation:
        raise CellError(_("“%(value)s” không phải là số.") % {"value": _shown(value)}) from None
    return _within_reason(number, value)


# No column holds a number of 20 digits or more (amounts in đồng are at most 9.2 × 10^18, a
# bigint). Refusing such numbers here keeps "1e999999999" from turning into an integer of a
# billion digits (minutes of CPU), or overflowing the decimal context, and NaN or infinity
# from reaching a comparison that raises. `adjusted()` is the exponent, read without any
# arithmetic (which would itself overflow on 1e999999999).
_MOST_DIGITS = 19


def _within_reason(number: Decimal, value) -> Decimal:
    """`number` itself, or a CellError when it is not finite or too large for any column."""
    if not number.is_finite():
        raise CellError(_("“%(value)s” không phải là số.") % {"value": _shown(value)})
    if number and number.adjusted() >= _MOST_DIGITS:
        raise CellError(_("“%(value)s” quá lớn.") % {"value": _shown(value)})
    return number


def parse_amount(value, scale: Decimal = Decimal(1)) -> int | None:
    """An amount in đồng, after the header's unit ('triệu đồng' × 1,000,000), rounded."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(_("Số tiền không được âm."))
    # In the header's unit (×1,000,000,000 for 'tỷ đồng') a number that was in reason may not
    # be any more.
    in_dong = _within_reason(number * scale, value)
    return int(in_dong.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_count(value) -> int | None:
    """A number of people: a whole number, not negative."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        raise CellError(_("“%(value)s” phải là số nguyên không âm.") % {"value": _shown(value)})
    return int(number)


def parse_date(value) -> datetime.date | None:
    """An Excel date, an Excel serial number, or text dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
    dd.mm.yyyy or yyyy-mm-dd."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise _invalid_date(value)
    text = clean_text(str(value))
    if match := _DATE.match(text):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    else:
        raise _invalid_date(value)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _invalid_date(value) from None


def _invalid_date(value) -> CellError:
    # Translated only for a bad cell, not for each of the thousands of good ones.
    return CellError(
        _("“%(value)s” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy).")
        % {"value": _shown(value)}
    )


def parse_yes_no(value) -> bool:
    """x, X, có, 1, ✓ mean yes; blank, không, 0 mean no."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
    else:
        key = choice_key(value)
        if key in _YES:
            return True
        if key in _NO:
            return False
    raise CellError(
        _("“%(value)s” không phải có/không: ghi x, có hoặc 1, để trống nếu không.")
        % {"value": _shown(value)}
    )


def parse_ocop(value) -> int | None:
    """OCOP stars written 3, '3 sao', '4*' or '★★★'; only 3 to 5 exist."""
    if is_blank(value):
        return None
    stars = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        stars = int(value) if float(value).is_integer() else None
    else:
        text = clean_text(str(value))
        if text.isdigit():
            stars = int(text)
        elif match := _STARS.search(text):
            stars = int(match.group(1))
        elif set(text) <= {"★", "*"}:
            stars = len(text)
    if stars not in (3, 4, 5):
        raise CellError(_("“%(value)s”: hạng OCOP phải từ 3 đến 5 sao.") % {"value": _shown(value)})
    return stars


def _is_cell_number(value) -> bool:
    """A number as a spreadsheet cell holds one: not a bool, not NaN or infinity (their text,
    "nan" or "inf", is then read as text and refused by the column's check)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def parse_code(value) -> str:
    """A 10-digit HTX / tax code (or 13 with a branch suffix -001). A code that Excel stored
    as a number lost its leading zero: 9 digits get it back."""
    if is_blank(value):
        return ""
    if _is_cell_number(value):
        text = str(int(value))
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        text = value  # digits only (most codes): nothing below would change them
    else:
        text = re.sub(r"[\s.\u00a0]", "", clean_text(unescape(str(value))))
        # A code Excel wrote as 3.8001E+09; a huge exponent stays text, refused by the check.
        if _SCIENTIFIC.match(text) and Decimal(text).adjusted() < 19:
            text = str(int(Decimal(text)))
    head, dash, branch = text.partition("-")
    if head.isdigit() and len(head) == 9:
        head = "0" + head
    return f"{head}{dash}{branch}"


def parse_phone(value) -> str:
    """A phone number; one stored as a number lost its leading zero, which comes back."""
    if is_blank(value):
        return ""
    if _is_cell_number(value):
        digits = str(int(value))
        return digits if digits.startswith("84") or len(digits) > 10 else "0" + digits
    return parse_text(value)


def parse_choice(value, choices: dict[str, str], labels) -> str | None:
    """One of `choices` (keys as `choice_key` gives them); None when blank."""
    if is_blank(value):
        return None
    found = choices.get(choice_key(value))
    if found is None:
        raise CellError(
            _("“%(value)s” không có trong danh sách: %(labels)s.")
            % {"value": _shown(value), "labels": ", ".join(str(label) for label in labels)}
        )
    return found


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return search_key(unescape(text)).replace(" ", "").replace(".", "")


def choice_key(value) -> str:
    """The form in which choice labels, aliases and yes/no words are compared
    ('Trung bình' → 'trungbinh'); cached, as a column repeats a few words thousands of times."""
    return _key(str(value))
