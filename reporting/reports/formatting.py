"""How figures and dates are written in a report (shared by the HTML, .docx and .xlsx writers)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.formatting import number

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)


def num(value) -> str:
    """1250000 → '1.250.000'; '2.5' → '2,5' (in Vietnamese); None → ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = Decimal(value)
    return number(value)


def percent(value) -> str:
    """'78.5' → '78,5%'."""
    if value is None:
        return ""
    return f"{num(Decimal(value))}%"


def day(value: str | datetime.date | None) -> str:
    """An ISO date or a date as dd/mm/yyyy; None → ''."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def place_and_date(place: str, value: datetime.date) -> str:
    """'Đồng Nai, ngày 05 tháng 01 năm 2026': Nghị định 30 writes days below 10 and the months
    January and February with a leading zero."""
    day_text = f"{value.day:02d}"
    month_text = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": day_text,
        "month": month_text,
        "year": value.year,
    }


def number_and_symbol(doc_number: str, doc_symbol: str) -> str:
    """'Số: 05/BC-SDTTG-LMHTX'; numbers under 10 get a leading zero; an empty number leaves
    room for the clerk to write it in on issue."""
    text = doc_number.strip()
    if text.isdigit() and int(text) < 10:
        text = f"{int(text):02d}"
    if not text:
        text = "\u00a0" * 6
    return _("Số: %(number)s/%(symbol)s") % {"number": text, "symbol": doc_symbol}


def upper(text: str) -> str:
    return text.upper()
