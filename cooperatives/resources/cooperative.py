"""`CooperativeResource`: the cooperative registry as django-import-export sees it, for the
admin's import/export, the /htx/ pages and the `import_cooperatives` command.

Each row becomes a dict of a cooperative's field values: the widgets (`widgets.py`) read the
values as the provinces write them, the province is resolved to today's unit, and rows are
upserted on the registration code (one cached lookup of every code in the file, `loader.py`;
new and changed rows written in batches, `writes.py`; no per-row diff). The command and the
background jobs go through `import_rows`, without a model instance per row, which is what
keeps a 50,000-row file fast; the admin through django-import-export's row loop, whose hooks
call the same row rules. Errors carry the Excel row number and column into an `ImportReport`
(`report.py`)."""

import datetime
import itertools
import logging
import operator
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import DatabaseError, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from agencies.communes import CommuneIndex, CommuneIndexes, CommuneMatch, Outcome
from agencies.models import Commune, Province
from core.formatting import number
from core.text import clean_text, search_key

from ..importer.headers import BY_FIELD, MONEY_FIELDS, province_nickname
from ..importer.layout import Layout
from ..importer.values import (
    clean_lines,
    parse_code,
    parse_count,
    parse_date,
    parse_notes,
    parse_ocop,
    parse_phone,
    parse_text,
)
from ..models import CLEANED_TEXT_FIELDS, Cooperative
from ..querysets import import_province_ids
from .loader import CodeInstanceLoader
from .report import PREVIEW_ROWS, ImportReport, RowError
from .widgets import (
    REMEMBERED_VALUES,
    AmountWidget,
    ChoiceWidget,
    ParsingWidget,
    Refused,
    YesNoWidget,
    column_field,
    remembered,
)
from .writes import COMPARED_FIELDS, UPDATED_FIELDS, insert_rows, update_rows, values_of

logger = logging.getLogger(__name__)

_PROVINCE = BY_FIELD["province"].header
_PROVINCE_WRITTEN = BY_FIELD["province_as_written"].header
_CURRENT_COMMUNE = BY_FIELD["current_commune"].header
_RECORDED_PROVINCE = BY_FIELD["recorded_province"].header
# The cells `_import_province` reads.
_PROVINCE_COLUMNS = (_PROVINCE, _PROVINCE_WRITTEN, _RECORDED_PROVINCE)
_UNSET = object()
_COMMUNE = BY_FIELD["commune"].header

# Fields whose validators (length, code pattern, ranges) an imported value must pass.
VALIDATED_FIELDS = [
    f
    for f in Cooperative._meta.concrete_fields
    if f.validators and f.name not in {"id", "search_key", "province"}
]


def passes(model_field) -> Callable[[object], bool] | None:
    """A test that a (non-empty) value passes every validator of `model_field`, made of the
    validators' own limits and pattern without calling them, for fields whose validators are
    all of the plain kinds below: one `len` or comparison instead of a call, a lazy regex and
    a message per value (the code and the name differ on every row, issue 18). None for any
    other field. When the test says no, the validators run and give the message."""
    tests: list[Callable[[object], bool]] = []
    for validator in model_field.validators:
        kind, limit = type(validator), getattr(validator, "limit_value", None)
        if kind in _LIMITED and callable(limit):
            return None
        if kind is MaxLengthValidator:
            tests.append(lambda value, limit=limit: not len(value) > limit)
        elif kind is MinLengthValidator:
            tests.append(lambda value, limit=limit: not len(value) < limit)
        elif kind is MaxValueValidator:
            tests.append(lambda value, limit=limit: not value > limit)
        elif kind is MinValueValidator:
            tests.append(lambda value, limit=limit: not value < limit)
        elif kind is RegexValidator:
            # What `RegexValidator.__call__` tests, with its regex compiled once here.
            regex = validator.regex
            search = re.compile(regex.pattern, regex.flags).search
            inverse = validator.inverse_match
            tests.append(
                lambda value, search=search, inverse=inverse: bool(search(str(value))) != inverse
            )
        else:
            return None
    if not tests:
        return None
    test = tests[0]
    for other in tests[1:]:
        test = lambda value, first=test, then=other: first(value) and then(value)  # noqa: E731
    return test


_LIMITED = (MaxLengthValidator, MinLengthValidator, MaxValueValidator, MinValueValidator)


class CooperativeResource(resources.ModelResource):
    """Import and export of the cooperative registry with the Vietnamese headers of
    `importer.headers.COLUMNS`.

    Keyword arguments: `user` (whose province scope limits the rows), `default_province` (for
    rows without one), `progress` (called as progress(done, total) every 1,000 rows) and
    `before_write` (called with the number of rows about to be written by `import_rows`)."""

    registration_code = column_field("registration_code", ParsingWidget(parse_code))
    name = column_field("name")
    kind = column_field(
        "kind",
        ChoiceWidget(
            Cooperative.Kind,
            {
                "HTX": "cooperative",
                "THT": "group",
                "LHHTX": "union",
                "Liên hiệp HTX": "union",
                "Tổ HTX": "group",
            },
        ),
        default=Cooperative.Kind.COOPERATIVE,
    )
    province = fields.Field(
        attribute="province", column_name=BY_FIELD["province"].header, readonly=True
    )
    province_as_written = column_field("province_as_written", readonly=True)
    recorded_province = fields.Field(
        column_name=BY_FIELD["recorded_province"].header, readonly=True
    )
    current_commune = fields.Field(
        attribute="current_commune",
        column_name=BY_FIELD["current_commune"].header,
        readonly=True,
    )
    current_commune_name = fields.Field(
        column_name=BY_FIELD["current_commune_name"].header, readonly=True
    )
    district = column_field("district")
    commune = column_field("commune")
    address = column_field("address")
    established_on = column_field("established_on", ParsingWidget(parse_date))
    representative = column_field("representative")
    phone = column_field("phone", ParsingWidget(parse_phone))
    members = column_field("members", ParsingWidget(parse_count))
    ethnic_minority_members = column_field("ethnic_minority_members", ParsingWidget(parse_count))
    sector = column_field("sector")
    charter_capital = column_field("charter_capital", AmountWidget())
    revenue = column_field("revenue", AmountWidget())
    rating = column_field(
        "rating",
        ChoiceWidget(Cooperative.Rating, {"TB": "average", "Kém": "weak"}),
        default="",
    )
    ocop_stars = column_field("ocop_stars", ParsingWidget(parse_ocop))
    ocop_products = column_field("ocop_products")
    vietgap = column_field("vietgap", YesNoWidget())
    organic = column_field("organic", YesNoWidget())
    high_tech = column_field("high_tech", YesNoWidget())
    digital_transformation = column_field("digital_transformation", YesNoWidget())
    ecommerce = column_field("ecommerce", YesNoWidget())
    in_ethnic_minority_area = column_field("in_ethnic_minority_area", YesNoWidget())
    status = column_field(
        "status",
        ChoiceWidget(
            Cooperative.Status,
            {"Hoạt động": "active", "Giải thể": "dissolved", "Đã giải thể": "dissolved"},
        ),
        default=Cooperative.Status.ACTIVE,
    )
    notes = column_field("notes", ParsingWidget(parse_notes))

    class Meta:
        model = Cooperative
        name = gettext_lazy("Danh sách HTX")
        fields = [
            "registration_code",
            "name",
            "kind",
            "province",
            "province_as_written",
            "recorded_province",
            "district",
            "commune",
            "current_commune",
            "current_commune_name",
            "address",
            "established_on",
            "representative",
            "phone",
            "members",
            "ethnic_minority_members",
            "sector",
            "charter_capital",
            "revenue",
            "rating",
            "ocop_stars",
            "ocop_products",
            "vietgap",
            "organic",
            "high_tech",
            "digital_transformation",
            "ecommerce",
            "in_ethnic_minority_area",
            "status",
            "notes",
        ]
        import_id_fields = ["registration_code"]
        instance_loader_class = CodeInstanceLoader
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    def __init__(
        self,
        user=None,
        default_province: Province | None = None,
        progress=None,
        before_write=None,
        **kw,
    ):
        super().__init__(**kw)
        self.user = user
        self.default_province = default_province
        self.progress = progress
        self.before_write = before_write
        self.report = ImportReport()
        self._provinces: dict[str, Province | None] = {}
        self._province_names: dict[str, Province | None] = {}
        # Per current unit: itself and the former units it carries on, by name and label.
        self._recorded_units: dict[int, dict[str, Province]] = {}
        self._codes: dict[str, int] = {}
        self._scope: frozenset[int] | None = None
        self._scope_rolled: frozenset[int] | None = None
        # Every commune of a province loaded once (`CommuneIndex`), and each (province,
        # district, commune) looked up once: a national file names thousands of communes.
        self._commune_indexes = CommuneIndexes()
        self._communes: dict[tuple, tuple[CommuneMatch, str]] = {}
        self._province_objects: dict[int, Province] = {}

    # --- export -------------------------------------------------------------------------
    def get_queryset(self):
        return Cooperative.objects.select_related("province__successor", "current_commune")

    def dehydrate_province(self, coop: Cooperative) -> str:
        """Today's unit: a record still filed under an old unit is exported under its
        successor (and imported back there)."""
        if not coop.province_id:
            return ""
        unit = coop.province if coop.province.is_current else coop.province.current_unit()
        return unit.label

    def dehydrate_recorded_province(self, coop: Cooperative) -> str:
        """The former unit a record is still filed under, as the lists label it ('Bình Phước
        (cũ)'); '' for a record of a unit in force. Read back by `_import_province`."""
        if not coop.province_id or coop.province.is_current:
            return ""
        return coop.province.label

    def dehydrate_current_commune(self, coop: Cooperative) -> str:
        return coop.current_commune.code if coop.current_commune_id else ""

    def dehydrate_current_commune_name(self, coop: Cooperative) -> str:
        return coop.current_commune.full_name if coop.current_commune_id else ""

    # --- import: set-up -----------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        self.layout: Layout = getattr(dataset, "layout", None) or Layout()
        # Each validated field with its validators' test compiled once (`passes`), or the
        # values that passed already in this import (a column repeats its words).
        self._validated = [(f.attname, f.name, f, passes(f), set()) for f in VALIDATED_FIELDS]
        self.report = ImportReport(skipped=self.layout.skipped, layout=self.layout)
        self.report.dry_run = bool(kwargs.get("dry_run"))
        for name in MONEY_FIELDS:
            self.fields[name].widget.scale = self.layout.scales.get(name, Decimal(1))
        user = self.user or kwargs.get("user")
        scope = import_province_ids(user) if user is not None else None
        self._scope = scope
        if scope is not None:
            self._scope_rolled = frozenset(
                Province.objects.rolling_up_into(scope).values_list("pk", flat=True)
            )
        self._default_unit = self.default_province and self.default_province.current_unit()
        # One day for the whole import: `Cooperative.clean` asks for it per row.
        self._today = timezone.localdate()
        self._total = len(dataset)
        headers = set(dataset.headers or [])
        self._columns = [
            (field.attribute, field.column_name, remembered(field.widget.clean), field.default)
            for field in self.get_import_fields()
            if not field.readonly and field.column_name in headers
        ]
        # The same readers without the per-cell memory, for `_read_columns`.
        self._plain_readers = {
            field.attribute: field.widget.clean for field in self.get_import_fields()
        }
        # The text fields a row's values do not come from a column's reader, which already
        # cleaned them (`clean_text` and `clean_lines` change a clean text no further).
        read = {attribute for attribute, *_rest in self._columns}
        if headers & {_PROVINCE, _PROVINCE_WRITTEN}:
            read.add("province_as_written")
        self._unread_text = [name for name in CLEANED_TEXT_FIELDS if name not in read]
        self._unread_notes = "notes" not in read
        self._read_text = remembered(parse_text)
        self._labels: dict[str, str] = {}
        self._province_outcomes: dict[tuple, tuple] = {}
        self._commune_outcomes: dict[tuple, tuple] = {}

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0)
        self._row_number = number
        if self.progress and number % 1000 == 0:
            self.progress(number, self._total)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance._import_snapshot = self._snapshot(values_of(instance))

    @staticmethod
    def _snapshot(values: dict) -> tuple:
        return tuple(values[name] for name in COMPARED_FIELDS)

    # --- import: one row, as django-import-export's row loop calls it (the admin) -------
    def import_instance(self, instance, row, **kwargs):
        """The row's values through `_read_row`, as for the bulk import, onto the instance."""
        values = values_of(instance)
        errors = self._read_row(values, row, kwargs.get("row_number", 0))
        for name, value in values.items():
            setattr(instance, name, value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is counted 'unchanged' and not written."""
        if import_validation_errors:
            return False
        snapshot = getattr(instance, "_import_snapshot", None)
        return self._unchanged(snapshot, values_of(instance), getattr(self, "_row_number", 0))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """`_validate`, as for the bulk import."""
        errors = ValidationError(import_validation_errors or {}).message_dict
        self._validate(values_of(instance), errors)
        if errors:
            raise ValidationError(errors)

    # --- import: one row ----------------------------------------------------------------
    def _read_row(self, values: dict, row: dict, number: int) -> dict[str, list[str]]:
        """Each column of `row` through its reader into `values` (the record's field values
        by attribute name: an existing cooperative's, or a new one's defaults), then the row
        rules (code, name, province scope, province and commune), the text cleaned and the
        search key; the problems found, as messages by field."""
        errors: dict[str, list[str]] = {}
        for attribute, column, clean, default in self._columns:
            try:
                value = clean(row[column])
            except ValueError as error:
                errors[attribute] = [str(error)]
                continue
            if default is not NOT_PROVIDED and value in (None, ""):
                value = default
            values[attribute] = value
        self._row_rules(values, row, number, errors)
        values["search_key"] = Cooperative.key_of(
            values["name"], values["commune"], values["district"], values["representative"]
        )
        return errors

    def _row_rules(self, values: dict, row: dict, number: int, errors: dict) -> None:
        """After the columns are read into `values`: the row rules' problems added to
        `errors`, and the text not read by a column cleaned (the search key is the caller's)."""
        for name, message in self._row_problems(values, row, number):
            errors.setdefault(name, []).append(message)
        for name in self._unread_text:
            if values[name]:
                values[name] = clean_text(values[name])
        if self._unread_notes and values["notes"]:
            values["notes"] = clean_lines(values["notes"])

    def _read_columns(self, cells: dict, loader) -> tuple[list[str], list[list], set[int]]:
        """Every column's cells (`cells`: the dataset's columns by header) read at once (issue 18, fifth pass): each distinct value of a
        column through the column's reader once, then the column's list of results by one
        dictionary lookup per cell at C speed (`map`), instead of a call per cell. Returns the
        attributes, their columns of results (a value, its default for a blank, or a
        `Refused` / `_Failed` standing for the reader's error) and the numbers of the rows
        where some cell was refused or failed (read again one by one by `import_rows`)."""
        attributes, columns, bad = [], [], set()
        for attribute, column, _clean, default in self._columns:
            read = self._plain_readers[attribute]
            known = loader.codes if attribute == "registration_code" else None
            results, refused = _read_column(read, list(cells.get(column, ())), default, known)
            if refused:
                bad.update(
                    number
                    for number, result in enumerate(results, 1)
                    if result.__class__ in _CELL_ERRORS
                )
            attributes.append(attribute)
            columns.append(results)
        return attributes, columns, bad

    def _check_columns(self, attributes: list[str], columns: list[list]) -> tuple[list, set[int]]:
        """The validators' tests over whole columns (issue 18, seventh pass): each distinct
        value a column read into a validated field tested once, instead of each row's value.
        Returns the validated fields each row still checks (those no column was read into, or
        without a test: `_validate`'s entries) and the numbers of the rows holding a value
        some column's test refused, which `_validate` checks field by field as before (for
        the validators' messages, in the same order). A row's column values are the values
        it is validated with: no row rule changes them."""
        by_attribute = dict(zip(attributes, columns, strict=True))
        left, suspects = [], set()
        for entry in self._validated:
            attname, _name, _field, test, _passed = entry
            column = by_attribute.get(attname)
            if test is None or column is None:
                left.append(entry)
                continue
            try:
                distinct = set(column)
            except TypeError:  # a value that cannot be a key: never from a reader
                left.append(entry)
                continue
            refused = {value for value in distinct if not _passes(test, value)}
            if refused:
                suspects.update(
                    number for number, value in enumerate(column, 1) if value in refused
                )
        return left, suspects

    def _row_problems(self, values: dict, row, number: int):
        code = values["registration_code"]
        if not code:
            yield "registration_code", _("Thiếu mã số HTX.")
        elif code in self._codes:
            yield (
                "registration_code",
                _("Mã số %(code)s trùng với dòng %(row)s.")
                % {"code": code, "row": self._excel_row(self._codes[code])},
            )
        else:
            self._codes[code] = number
        if not values["name"]:
            yield "name", _("Thiếu tên HTX.")
        if (
            values["id"]
            and self._scope_rolled is not None
            and values["province_id"] not in self._scope_rolled
        ):
            yield (
                "registration_code",
                _("HTX mã số %(code)s thuộc tỉnh khác; bạn chỉ được nhập HTX của tỉnh mình.")
                % {"code": code},
            )
        yield from self._province_outcome(values, row)
        if values["province_id"]:
            self._place_commune(values, row, number)

    def _place_commune(self, values: dict, row, number: int) -> None:
        """Today's commune from the 'Mã xã hiện nay' column, else from the commune (and old
        district) as written, when exactly one fits; otherwise none and a warning, the row
        still imported and listed on /htx/can-kiem-tra/. Nothing is guessed, and a commune a
        person chose there is kept while it is still among the candidates.

        Worked out once per distinct (province, code cell, commune, district, commune on
        record), the only things it reads (issue 18, fifth pass); the warnings go on each row."""
        if _CURRENT_COMMUNE not in row and _COMMUNE not in row:
            return  # the file says nothing of the commune: the record keeps its own
        cell = row.get(_CURRENT_COMMUNE)
        key = (
            values["province_id"],
            cell,
            cell.__class__,
            values["commune"],
            values["district"],
            values["current_commune_id"],
        )
        try:
            current, warnings = self._commune_outcomes[key]
        except KeyError:
            current, warnings = self._commune_outcome(*key[:2], *key[3:])
            if len(self._commune_outcomes) < REMEMBERED_VALUES:
                self._commune_outcomes[key] = current, warnings
        except TypeError:  # a cell that cannot be a key: never from a reader
            current, warnings = self._commune_outcome(*key[:2], *key[3:])
        if current is not _UNSET:
            values["current_commune_id"] = current
        for field, message in warnings:
            self._warn(number, field, message)

    def _commune_outcome(
        self, province_id: int, cell, name: str, district: str, current: int | None
    ) -> tuple[object, list[tuple[str, str]]]:
        """For `_place_commune`: the row's current commune (`_UNSET`: the one on record kept)
        and its warnings, by field."""
        province = self._province(province_id)
        warnings = []
        code = self._read_text(cell)
        if code:
            commune = self._index(province).current_by_code.get(code)
            if commune is not None:
                return commune.pk, warnings
            warnings.append(
                (
                    "current_commune",
                    _("Mã xã %(code)s không phải một xã hiện nay của %(province)s.")
                    % {"code": code, "province": province.label},
                )
            )
        if not name:
            return None, warnings
        match, problem = self._commune(province, district, name)
        if match.found:
            return match.commune.pk, warnings
        if current in {c.pk for c in match.candidates}:
            return _UNSET, warnings
        warnings.append(("commune", problem))
        return None, warnings

    def _commune(self, province: Province, district: str, name: str) -> tuple[CommuneMatch, str]:
        """What the commune `name` (in `district`) of `province` leads to, and the warning when
        it leads to no one commune: looked up once per (province, district, commune) as
        written, and once per search key of them."""
        written = (province.pk, district, name)
        if written not in self._communes:
            key = (province.pk, search_key(district), search_key(name))
            if key not in self._communes:
                match = self._index(province).find(name, district)
                problem = "" if match.found else commune_problem(name, province, match)
                self._communes[key] = match, problem
            self._communes[written] = self._communes[key]
        return self._communes[written]

    def _index(self, province: Province) -> CommuneIndex:
        return self._commune_indexes.of(province)

    def _province(self, pk: int) -> Province:
        """The province of a record: one resolved in this import, or the one on file."""
        if pk not in self._province_objects:
            self._province_objects[pk] = Province.objects.get(pk=pk)
        return self._province_objects[pk]

    def _warn(self, number: int, field: str, message: str) -> None:
        if field not in self._labels:
            self._labels[field] = self.layout.column_label(field)
        self.report.warnings.append(RowError(self._excel_row(number), self._labels[field], message))

    def _province_outcome(self, values: dict, row) -> list[tuple[str, str]]:
        """`_import_province` for the row: its problems, and the province and the name as
        written it sets, worked out once per distinct province cells (by type as well) and
        whether the record exists, the only things it reads (issue 18, fifth pass: a file
        repeats a few spellings of its provinces on every row)."""
        cells = tuple(map(row.get, _PROVINCE_COLUMNS))
        key = (bool(values["id"]), cells, tuple(map(type, cells)))
        try:
            problems, province_id, written = self._province_outcomes[key]
        except KeyError:
            scratch = {"id": values["id"], "province_id": _UNSET, "province_as_written": _UNSET}
            problems = list(self._import_province(scratch, row))
            province_id, written = scratch["province_id"], scratch["province_as_written"]
            if len(self._province_outcomes) < REMEMBERED_VALUES:
                self._province_outcomes[key] = problems, province_id, written
        except TypeError:  # a cell that cannot be a key: never from a reader
            return list(self._import_province(values, row))
        if province_id is not _UNSET:
            values["province_id"] = province_id
        if written is not _UNSET:
            values["province_as_written"] = written
        return problems

    def _import_province(self, values: dict, row):
        """Today's province from the 'Tỉnh' column (or the one as written, or the default),
        keeping the name as written."""
        text = self._read_text(row[_PROVINCE]) if _PROVINCE in row else ""
        written = self._read_text(row[_PROVINCE_WRITTEN]) if _PROVINCE_WRITTEN in row else text
        name = text or written
        if name:
            province = self._resolve(name)
            if province is None:
                field = "province" if text else "province_as_written"
                yield field, _("Không nhận ra tỉnh, thành phố “%(name)s”.") % {"name": name}
                return
            if text and written and written != text:
                other = self._resolve(written)
                if other is not None and other != province:
                    yield (
                        "province_as_written",
                        _("“%(written)s” không thuộc %(province)s.")
                        % {"written": written, "province": province.label},
                    )
        elif values["id"]:
            return
        elif self._default_unit is not None:
            province = self._default_unit
        else:
            yield "province", _("Thiếu tỉnh, thành phố.")
            return
        if self._scope is not None and province.pk not in self._scope:
            yield (
                "province" if text else "province_as_written",
                _("Bạn chỉ được nhập HTX của tỉnh mình; dòng này thuộc %(province)s.")
                % {"province": province.label},
            )
        recorded = self._read_text(row[_RECORDED_PROVINCE]) if _RECORDED_PROVINCE in row else ""
        if recorded:
            unit = self._recorded_unit(province, recorded)
            if unit is None:
                yield (
                    "recorded_province",
                    _("“%(written)s” không phải %(province)s hay một tỉnh cũ của nó.")
                    % {"written": recorded, "province": province.label},
                )
            else:
                province = unit
        values["province_id"] = province.pk
        self._province_objects[province.pk] = province
        if _PROVINCE in row or _PROVINCE_WRITTEN in row:
            values["province_as_written"] = written

    def _recorded_unit(self, province: Province, name: str) -> Province | None:
        """The unit named in 'Tỉnh khi ghi nhận': `province` (today's) or a former unit it
        carries on, written as the export labels it ('Bình Phước (cũ)') or by its name; None
        for any other. A record exported under a former unit is imported back under it."""
        if province.pk not in self._recorded_units:
            units = Province.objects.rolling_up_into(province)
            self._recorded_units[province.pk] = {
                search_key(key): unit for unit in units for key in (unit.name, unit.label)
            }
        return self._recorded_units[province.pk].get(search_key(name))

    def _resolve(self, name: str) -> Province | None:
        if name in self._province_names:  # a name seen before (most rows): no key to compute
            return self._province_names[name]
        key = search_key(name)
        if key not in self._provinces:
            wanted = province_nickname(name) or name
            units = {p.current_unit() for p in Province.objects.matching_name(wanted)}
            self._provinces[key] = units.pop() if len(units) == 1 else None
        self._province_names[name] = self._provinces[key]
        return self._provinces[key]

    def _validate(
        self, values: dict, errors: dict[str, list[str]], validated: list | None = None
    ) -> None:
        """The model's field validators and `Cooperative.clean`'s rules, added to `errors`,
        without what `full_clean` adds per row here: a query each for uniqueness (the upsert's
        business), the province (resolved from the database) and every check constraint
        (mirrored by the validators and `clean`), and type and choice checks that the column
        readers already made. `validated`: the fields to check (default: every validated
        field; `import_rows` leaves out those `_check_columns` checked whole)."""
        for attname, name, model_field, test, passed in (
            self._validated if validated is None else validated
        ):
            value = values[attname]
            if value is None or value == "" or name in errors:
                continue
            if test is not None:
                if test(value):
                    continue
            else:
                key = (value.__class__, value)
                if key in passed:
                    continue
            # A value the test refuses, or a field without one: the validators themselves,
            # for their messages.
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                errors[name] = error.messages
                continue
            if test is None and len(passed) < REMEMBERED_VALUES:
                passed.add(key)
        problems = Cooperative.record_problems(
            members=values["members"],
            ethnic_minority_members=values["ethnic_minority_members"],
            established_on=values["established_on"],
            today=self._today,
        )
        for name, message in problems.items():
            errors.setdefault(name, []).append(str(message))

    def _unchanged(self, before: tuple | None, values: dict, number: int) -> bool:
        """Whether a row without errors changes nothing of the record it updates; if it does
        change something (or is new), it goes into the preview."""
        if before is None and len(self.report.rows) >= PREVIEW_ROWS:
            return False  # new, and the preview is full
        now = self._snapshot(values)
        if before is not None and before == now:
            return True
        self._preview_row(values, before, now, number)
        return False

    def _preview_row(self, values: dict, before: tuple | None, after: tuple, number: int) -> None:
        """What a new or changed row will do, field by field (old → new), for the preview."""
        if len(self.report.rows) >= PREVIEW_ROWS:
            return
        changes = [
            [
                str(Cooperative._meta.get_field(name).verbose_name),
                self._shown(old),
                self._shown(new),
            ]
            if name not in ("province_id", "current_commune_id")
            else [
                str(Cooperative._meta.get_field(name).verbose_name),
                self._unit(name, old),
                self._unit(name, new),
            ]
            for name, old, new in zip(COMPARED_FIELDS, before or after, after, strict=True)
            if before is not None and old != new
        ]
        self.report.rows.append(
            {
                "row": self._excel_row(number),
                "action": "updated" if before is not None else "new",
                "code": values["registration_code"],
                "name": values["name"],
                "changes": changes,
            }
        )

    @staticmethod
    def _shown(value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(_("Có") if value else _("Không"))
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, int | Decimal):
            return number(value)
        return str(value)

    def _unit(self, name: str, pk: int | None) -> str:
        labels = self.__dict__.setdefault("_unit_labels", {})
        if (name, pk) not in labels:
            model = Province if name == "province_id" else Commune
            labels[name, pk] = str(model.objects.filter(pk=pk).first()) if pk else "—"
        return labels[name, pk]

    # --- import: the bulk path (the command line and the background jobs) -------------
    def import_rows(self, dataset, *, dry_run: bool, user=None) -> ImportReport:
        """Check every row as a dict of field values (`_read_row`, `_validate`: the same
        rules as django-import-export's row loop calls for the admin, without a model
        instance or a row result per row), holding back the rows to write; then, unless it is
        a dry run or a row has an error, write them all in one transaction.

        Called outside any transaction by the background jobs: `progress` is written
        (autocommit) and seen by the page while the rows are checked, and the database's
        write lock is held only while writing (SQLite takes it at BEGIN) instead of for the
        whole file. A dry run writes nothing at all. Between the check and the write another
        import may have written the same code: the write then fails, is rolled back whole
        and is reported as a file-level error."""
        self.before_import(dataset, dry_run=dry_run, user=user)
        headers = dataset.headers or []
        by_header = (
            dict(zip(headers, zip(*dataset, strict=True), strict=True)) if len(dataset) else {}
        )
        loader = self._meta.instance_loader_class(
            self, dataset, written=by_header.get(self.fields["registration_code"].column_name, ())
        )
        attributes, read_columns, bad_rows = self._read_columns(by_header, loader)
        left_to_validate, suspect_rows = self._check_columns(attributes, read_columns)
        blank = values_of(Cooperative())
        held: dict[Callable[..., None], list[dict]] = {insert_rows: [], update_rows: []}
        unchanged = 0
        invalid: list[tuple[int, dict]] = []
        failed: list[tuple[int, Exception]] = []
        read_rows = zip(*read_columns, strict=True) if read_columns else itertools.repeat(())
        for row_number, (cells, read) in enumerate(zip(dataset, read_rows, strict=False), 1):
            row = dict(zip(headers, cells, strict=True))
            self.before_import_row(row, row_number=row_number)
            try:
                existing = loader.values_for(row)
                values = dict(blank if existing is None else existing)
                errors: dict[str, list[str]] = {}
                if row_number in bad_rows:
                    # As `_read_row` reads a row: a refused cell leaves the field as it was.
                    for attribute, result in zip(attributes, read, strict=True):
                        if result.__class__ is Refused:
                            errors[attribute] = [result.message]
                        elif result.__class__ is _Failed:
                            raise result.error
                        else:
                            values[attribute] = result
                else:
                    values.update(zip(attributes, read, strict=True))
                self._row_rules(values, row, row_number, errors)
                if not errors:
                    before = None if existing is None else self._snapshot(existing)
                    if self._unchanged(before, values, row_number):
                        unchanged += 1
                        continue
                self._validate(
                    values,
                    errors,
                    self._validated if row_number in suspect_rows else left_to_validate,
                )
            except Exception as error:  # reported on its row, as the admin's row loop does
                failed.append((row_number, error))
                continue
            if errors:
                invalid.append((row_number, errors))
            else:
                held[insert_rows if existing is None else update_rows].append(values)
        report = self._finish_report(
            new=len(held[insert_rows]),
            updated=len(held[update_rows]),
            unchanged=unchanged,
            invalid=invalid,
            failed=failed,
            base_errors=[],
        )
        if dry_run or not report.ok:
            return report
        # The search keys of the rows to write only, over whole columns (no other rule reads
        # them): rows refused, unchanged or only checked need none.
        written = [*held[insert_rows], *held[update_rows]]
        parts = zip(*map(_KEY_PARTS, written), strict=True) if written else ([], [], [], [])
        for values, key in zip(written, Cooperative.keys_of(*map(list, parts)), strict=True):
            values["search_key"] = key
        if self.before_write:
            self.before_write(sum(len(rows) for rows in held.values()))
        using = self.get_db_connection_name()
        try:
            with transaction.atomic(using=using):
                for write, rows in held.items():  # new rows first, then the changed ones
                    for start in range(0, len(rows), self._meta.batch_size):
                        write(rows[start : start + self._meta.batch_size], using=using)
        except DatabaseError as error:
            report.errors.append(self._write_error(error))
        return report

    # --- import: writing, for django-import-export's row loop (the admin) --------------
    def get_bulk_update_fields(self):
        return UPDATED_FIELDS

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """New rows through `writes.insert_rows`."""
        self._write_batch(self.create_instances, result, raise_errors, write=insert_rows)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Changed rows through `writes.update_rows`."""
        self._write_batch(self.update_instances, result, raise_errors, write=update_rows)

    def _write_batch(self, instances: list, result, raise_errors: bool, *, write) -> None:
        if not instances:
            return
        if result is not None and result.has_validation_errors():
            # The import will be rolled back: writing more rows would only cost time.
            instances.clear()
            return
        try:
            write([values_of(i) for i in instances], using=self.get_db_connection_name())
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    @staticmethod
    def _write_error(error: Exception) -> RowError:
        logger.error("Cooperative import failed", exc_info=error)
        return RowError(
            None,
            "",
            _("Không ghi được dữ liệu: %(error)s") % {"error": clean_text(str(error))[:200]},
        )

    # --- import: the report -------------------------------------------------------------
    def _excel_row(self, number: int) -> int | None:
        rows = self.layout.row_numbers
        return rows[number - 1] if 0 < number <= len(rows) else None

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.report = self._finish_report(
            new=result.totals["new"],
            updated=result.totals["update"],
            unchanged=result.totals["skip"],
            invalid=[(row.number, row.error_dict) for row in result.invalid_rows],
            failed=[(row.number, e.error) for row in result.error_rows for e in row.errors],
            base_errors=[error.error for error in result.base_errors],
        )

    def _finish_report(
        self,
        *,
        new: int,
        updated: int,
        unchanged: int,
        invalid: list[tuple[int, dict]],
        failed: list[tuple[int, Exception]],
        base_errors: list[Exception],
    ) -> ImportReport:
        """The counts and the errors into the report: each row's errors (messages by field)
        in the order of its columns, rows in file order."""
        report = self.report
        report.new, report.updated, report.unchanged = new, updated, unchanged
        order = {c.field: c.index for c in self.layout.columns if c.field}
        errors = []
        for row_number, error_dict in invalid:
            for name, messages in error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else self.layout.column_label(name)
                for message in messages:
                    errors.append(
                        (
                            order.get(name, -1),
                            RowError(self._excel_row(row_number), column, message),
                        )
                    )
        for row_number, error in failed:
            logger.error("Cooperative import row %s failed", row_number, exc_info=error)
            message = _("Lỗi không mong đợi khi đọc dòng này: %(error)s") % {
                "error": clean_text(str(error))[:200]
            }
            errors.append((-1, RowError(self._excel_row(row_number), "", message)))
        errors.sort(key=lambda item: (item[1].row or 0, item[0]))
        report.errors = [error for _order, error in errors]
        for error in base_errors:
            report.errors.append(self._write_error(error))
        if self.progress:
            self.progress(self._total, self._total)
        return report


_KEY_PARTS = operator.itemgetter("name", "commune", "district", "representative")


class _Failed:
    """A cell whose reader raised an unexpected error, raised again on the cell's row."""

    __slots__ = ("error",)

    def __init__(self, error: Exception):
        self.error = error


def _read_column(
    read: Callable, cells: list, default, known: dict | None = None
) -> tuple[list, bool]:
    """`read` over a column, and whether it refused or failed on any cell: each distinct value
    read once (`known` answers a text value first: its reading, made already), the default
    put in for a blank result, then every cell's result by one dictionary lookup at C speed.
    Values are told apart by type as well (1, 1.0 and True are one dictionary key but not one
    cell), except in a column where no two types can hold equal values (text, dates and
    times, blanks, and one kind of number at most). A reader's `ValueError` becomes a
    `Refused` with its message, any other error a `_Failed`."""

    def read_one(value):
        found = known.get(value) if known is not None and value.__class__ is str else None
        if found is None:
            try:
                found = read(value)
            except ValueError as error:
                found = Refused(str(error))
            except Exception as error:  # reported on each of its rows, as before
                found = _Failed(error)
        if default is not NOT_PROVIDED and found in (None, ""):
            found = default
        return found

    types = set(map(type, cells))
    if types <= _KEYED_AS_THEY_ARE and len(types & _NUMBERS) <= 1:
        keys, value_of = cells, None
    else:
        keys, value_of = list(zip(map(type, cells), cells, strict=True)), operator.itemgetter(1)
    try:
        distinct = set(keys)
    except TypeError:  # a value that cannot be a key: never from a reader, read one by one
        results = list(map(read_one, cells))
        return results, any(r.__class__ in _CELL_ERRORS for r in results)
    found = {key: read_one(key if value_of is None else value_of(key)) for key in distinct}
    refused = any(r.__class__ in _CELL_ERRORS for r in found.values())
    return list(map(found.__getitem__, keys)), refused


_CELL_ERRORS = (Refused, _Failed)


def _passes(test: Callable[[object], bool], value) -> bool:
    """Whether `_validate` would let `value` of a column through without a message: blank,
    a cell refused by its reader (its row has the reader's error instead), or passing
    `test`. A test that raises says no: the row is then checked on its own, as before."""
    if value is None or value == "" or value.__class__ in _CELL_ERRORS:
        return True
    try:
        return bool(test(value))
    except Exception:
        return False


# Types of cells no value of another of them equals (a date is never equal to a datetime);
# of the numbers, 1, 1.0 and True are equal, so a column may hold one kind of them.
_NUMBERS = {bool, int, float}
_KEYED_AS_THEY_ARE = {
    str,
    type(None),
    datetime.date,
    datetime.datetime,
    datetime.time,
    *_NUMBERS,
}


def commune_problem(name: str, province: Province, match: CommuneMatch) -> str:
    """Why the written commune `name` leads to no one commune of today, in Vietnamese."""
    names = ", ".join(c.full_name for c in match.candidates)
    if match.outcome == Outcome.SPLIT:
        return _("Xã “%(name)s” được chia cho %(candidates)s: chọn xã.") % {
            "name": name,
            "candidates": names,
        }
    if match.outcome == Outcome.AMBIGUOUS:
        places = sorted({u.district for u in match.matched if u.district}) or [
            c.full_name for c in match.matched
        ]
        return _("Không rõ xã “%(name)s”: có ở %(places)s.") % {
            "name": name,
            "places": _(" và ").join(places),
        }
    return _("Không tìm thấy xã “%(name)s” ở %(province)s.") % {
        "name": name,
        "province": province.label,
    }
