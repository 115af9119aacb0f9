"""The columns of a cooperative list, as data: the header we export and every header that the
provinces' Excel files use for the same thing.

Headers are compared by `header_key`: tone marks, case, spaces and a unit in brackets do not
count, so "MÃ SỐ HTX", "Mã  số htx" and "Ma so HTX (*)" are the same column. An alias written
"Group > Sub" matches a sub-column under a merged group cell of a two-row header ("Tổng số"
under "Số thành viên"); a plain alias matches the sub-column on its own too.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from core.text import clean_text, search_key


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as exported, and the first alias
    aliases: tuple[str, ...] = ()
    money: bool = False  # a unit in the header ("triệu đồng") scales the amount


COLUMNS: tuple[Column, ...] = (
    Column(
        "registration_code",
        "Mã số HTX",
        ("Mã HTX", "Mã số thuế", "MST", "Mã số doanh nghiệp", "Mã số HTX/MST", "Mã số ĐKKD"),
    ),
    Column("name", "Tên HTX", ("Tên hợp tác xã", "Tên đơn vị", "Tên tổ chức")),
    Column("kind", "Loại hình", ("Loại hình tổ chức",)),
    Column(
        "province",
        "Tỉnh/thành phố",
        ("Tỉnh", "Tỉnh/TP", "Tỉnh, thành phố", "Địa chỉ > Tỉnh", "Địa chỉ > Tỉnh/TP"),
    ),
    Column("province_as_written", "Tỉnh ghi trong nguồn", ("Tỉnh cũ",)),
    # The former unit a record is still filed under ('Bình Phước (cũ)'), beside today's in
    # "Tỉnh/thành phố"; exported, and read back so that the record stays under it (issue 15).
    Column("recorded_province", "Tỉnh khi ghi nhận", ("Tỉnh lúc ghi nhận",)),
    Column(
        "district",
        "Huyện",
        ("Quận/huyện", "Huyện/thị xã", "Huyện/Quận/Thị xã", "Địa chỉ > Huyện"),
    ),
    Column("commune", "Xã/phường", ("Xã", "Phường/xã", "Xã, phường", "Địa chỉ > Xã")),
    # Today's commune (issue 15), exported in its own columns; read back by its code.
    Column("current_commune", "Mã xã hiện nay", ("Mã xã mới",)),
    Column("current_commune_name", "Xã hiện nay", ("Xã mới",)),
    Column("address", "Địa chỉ", ("Địa chỉ trụ sở", "Địa chỉ trụ sở chính", "Địa chỉ > Thôn")),
    Column(
        "established_on",
        "Ngày thành lập",
        ("Ngày đăng ký", "Ngày cấp GCN", "Ngày cấp giấy chứng nhận", "Ngày cấp GCN đăng ký"),
    ),
    Column(
        "representative",
        "Người đại diện",
        ("Giám đốc", "Người đại diện theo pháp luật", "Chủ tịch HĐQT kiêm giám đốc"),
    ),
    Column("phone", "Điện thoại", ("SĐT", "Số điện thoại", "ĐT")),
    Column(
        "members",
        "Số thành viên",
        ("Tổng số thành viên", "Số TV", "Số thành viên > Tổng số", "Số thành viên > Tổng"),
    ),
    Column(
        "ethnic_minority_members",
        "Thành viên DTTS",
        (
            "Số thành viên là người DTTS",
            "Trong đó DTTS",
            "Số thành viên > Trong đó DTTS",
            "Số thành viên > DTTS",
            "Thành viên là người DTTS",
        ),
    ),
    Column("sector", "Ngành nghề", ("Lĩnh vực", "Lĩnh vực hoạt động", "Ngành nghề kinh doanh")),
    Column("charter_capital", "Vốn điều lệ", (), money=True),
    Column("revenue", "Doanh thu", ("Doanh thu năm",), money=True),
    Column("rating", "Xếp loại", ("Xếp loại HTX", "Kết quả xếp loại")),
    Column("ocop_stars", "OCOP", ("Sản phẩm OCOP", "Số sao OCOP", "Hạng OCOP", "Xếp hạng OCOP")),
    Column("ocop_products", "Tên sản phẩm OCOP", ()),
    Column("vietgap", "VietGAP", ("Chứng nhận VietGAP",)),
    Column("organic", "Hữu cơ", ("Chứng nhận hữu cơ",)),
    Column("high_tech", "Công nghệ cao", ("Ứng dụng công nghệ cao", "Ứng dụng CNC")),
    Column("digital_transformation", "Chuyển đổi số", ()),
    Column("ecommerce", "Thương mại điện tử", ("Sàn thương mại điện tử", "TMĐT")),
    Column(
        "in_ethnic_minority_area",
        "Vùng DTTS",
        ("Vùng DTTS và MN", "Vùng đồng bào DTTS", "Thuộc vùng DTTS", "Vùng DTTS&MN"),
    ),
    Column("status", "Tình trạng", ("Trạng thái", "Tình trạng hoạt động")),
    Column("notes", "Ghi chú", ()),
)

# Columns that are known and deliberately not imported (listed in the preview as ignored).
IGNORED_HEADERS: tuple[str, ...] = ("STT", "TT", "Số TT", "Số thứ tự")

# "Vốn điều lệ (triệu đồng)": the unit, keyed like a header, and what it multiplies by.
UNITS: dict[str, int] = {
    "dong": 1,
    "d": 1,
    "vnd": 1,
    "nghindong": 1_000,
    "ngandong": 1_000,
    "1000dong": 1_000,
    "1.000dong": 1_000,
    "1000d": 1_000,
    "1.000d": 1_000,
    "trieudong": 1_000_000,
    "trieu": 1_000_000,
    "trd": 1_000_000,
    "tr.d": 1_000_000,
    "tr.dong": 1_000_000,
    "tydong": 1_000_000_000,
    "ty": 1_000_000_000,
    "tyd": 1_000_000_000,
}

# A row whose first text starts like this is a total, not a cooperative (tone marks count, so
# "Công" is not "Cộng").
TOTAL_ROW = re.compile(r"^(tổng cộng|tổng số|cộng(?!\s+đồng))(?!\w)", re.IGNORECASE)
# A row that starts like this ends the data: the signature block under the table.
FOOTER_ROW = re.compile(
    r"^(người lập|người lập biểu|người lập bảng|thủ trưởng|kế toán|xác nhận|nơi nhận|"
    r"(kt|tm|q|tl)\.\s|.{0,40},\s*ngày\s+\d{1,2}\s+tháng)",
    re.IGNORECASE,
)

# Short names of provinces seen in the provinces' files that the reference data does not carry.
PROVINCE_NICKNAMES: dict[str, str] = {
    "hcm": "Hồ Chí Minh",
    "tphcm": "Hồ Chí Minh",
    "tp.hcm": "Hồ Chí Minh",
    "brvt": "Bà Rịa - Vũng Tàu",
}

_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
_SEPARATORS = re.compile(r"\s*[/,;&\-–]\s*")
_MARKERS = re.compile(r"^[\s*:.]+|[\s*:.]+$")


def header_key(text) -> str:
    """'Vốn điều lệ (triệu đồng)' → 'vondieule': tone marks, case, spaces, units in brackets
    and trailing '*' or ':' removed; '/', ',' and '-' between words become '/'."""
    text = _BRACKETS.sub(" ", clean_text(text))
    text = _MARKERS.sub("", text)
    return _SEPARATORS.sub("/", search_key(text)).replace(" ", "")


def header_unit(text) -> int:
    """The factor a unit in the header stands for: '(triệu đồng)' → 1,000,000; 1 if none."""
    for match in _BRACKETS.finditer(clean_text(text)):
        factor = UNITS.get(search_key(match.group(1) or match.group(2)).replace(" ", ""))
        if factor:
            return factor
    return 1


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for alias in (column.header, *column.aliases):
            parts = [header_key(part) for part in alias.split(">")]
            index[">".join(parts)] = column.field
    return index


ALIASES: dict[str, str] = _index()
IGNORED: frozenset[str] = frozenset(header_key(h) for h in IGNORED_HEADERS)
BY_FIELD: dict[str, Column] = {column.field: column for column in COLUMNS}
MONEY_FIELDS: frozenset[str] = frozenset(c.field for c in COLUMNS if c.money)


def field_for(header, group=None) -> str | None:
    """The field a header names, trying 'group > header' first, or None."""
    key = header_key(header)
    if not key:
        return None
    if group:
        found = ALIASES.get(f"{header_key(group)}>{key}")
        if found:
            return found
    return ALIASES.get(key)


def scale_for(field: str, header: str, group: str | None = None) -> Decimal:
    """How much a money column's numbers are multiplied by (its unit, or its group's)."""
    if field not in MONEY_FIELDS:
        return Decimal(1)
    factor = header_unit(header)
    if factor == 1 and group:
        factor = header_unit(group)
    return Decimal(factor)


def province_nickname(name: str) -> str | None:
    """'TP.HCM' → 'Hồ Chí Minh'; None when `name` is not a known short name."""
    return PROVINCE_NICKNAMES.get(search_key(name).replace(" ", ""))
