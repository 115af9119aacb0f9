"""The cooperative registry as django-import-export sees it: one `CooperativeResource` for the
admin's import/export, the /htx/ pages and the `import_cooperatives` command.

The file is read by `cooperatives.importer` (safe opening, the header found wherever it is,
aliases mapped to our headers), then this resource turns each row into a `Cooperative`:
widgets read the values as the provinces write them, the province is resolved to today's unit,
and rows are upserted on the registration code through the bulk path (one cached lookup of
every code in the file, `bulk_create` / `bulk_update`, no per-row diff), which is what keeps a
50,000-row file fast. Errors carry the Excel row number and column into an `ImportReport`.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connections, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader

from agencies.models import Province
from core.text import clean_text, search_key

from .importer.headers import BY_FIELD, MONEY_FIELDS, province_nickname
from .importer.layout import Layout
from .importer.values import (
    choice_key,
    parse_amount,
    parse_choice,
    parse_code,
    parse_count,
    parse_date,
    parse_notes,
    parse_ocop,
    parse_phone,
    parse_text,
    parse_yes_no,
)
from .models import Cooperative
from .querysets import import_province_ids

logger = logging.getLogger(__name__)

# Model fields compared to decide "unchanged" and written by bulk_update.
COMPARED_FIELDS = [
    f.attname
    for f in Cooperative._meta.concrete_fields
    if f.name not in {"id", "search_key", "created_at", "updated_at"}
]


# Fields whose validators (length, code pattern, ranges) an imported value must pass.
VALIDATED_FIELDS = [
    f
    for f in Cooperative._meta.concrete_fields
    if f.validators and f.name not in {"id", "search_key", "province"}
]


class ParsingWidget(widgets.Widget):
    """A widget whose `clean` is one of the parsers in `importer.values` and whose export
    value is the plain Python value (a date stays a date in .xlsx)."""

    def __init__(self, parse=parse_text):
        super().__init__(coerce_to_string=False)
        self.parse = parse

    def clean(self, value, row=None, **kwargs):
        return self.parse(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class YesNoWidget(ParsingWidget):
    def __init__(self):
        super().__init__(parse_yes_no)

    def render(self, value, obj=None, **kwargs):
        return "x" if value else ""


class AmountWidget(ParsingWidget):
    """Đồng; `scale` is set per file from the header's unit ('triệu đồng')."""

    def __init__(self):
        super().__init__()
        self.scale = Decimal(1)

    def clean(self, value, row=None, **kwargs):
        return parse_amount(value, self.scale)


class ChoiceWidget(ParsingWidget):
    """A choice written as its Vietnamese (or English) label or a usual abbreviation."""

    def __init__(self, choices, aliases: dict[str, str] | None = None):
        super().__init__()
        self.choices = choices
        self.lookup: dict[str, str] = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in choices.choices:
                    self.lookup[choice_key(str(label))] = value
                    self.lookup[choice_key(value)] = value
        for alias, value in (aliases or {}).items():
            self.lookup[choice_key(alias)] = value

    def clean(self, value, row=None, **kwargs):
        return parse_choice(value, self.lookup, self.choices.labels)

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("vi"):
            return str(self.choices(value).label)


def _field(name: str, widget=None, **kwargs) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=BY_FIELD[name].header,
        widget=widget or ParsingWidget(),
        **kwargs,
    )


class CodeInstanceLoader(ModelInstanceLoader):
    """Loads, in batches of 900 codes (SQLite's limit on query parameters), every existing
    cooperative whose code is in the file, so each row's lookup is a dictionary hit."""

    BATCH = 900

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.column = resource.fields["registration_code"].column_name
        self.instances: dict[str, Cooperative] = {}
        if dataset is None or self.column not in (dataset.headers or []):
            return
        codes = sorted({parse_code(v) for v in dataset.get_col(dataset.headers.index(self.column))})
        for start in range(0, len(codes), self.BATCH):
            batch = codes[start : start + self.BATCH]
            for coop in Cooperative.objects.filter(registration_code__in=batch):
                self.instances[coop.registration_code] = coop

    def get_instance(self, row):
        return self.instances.get(parse_code(row.get(self.column)))


@dataclass
class RowError:
    row: int | None  # Excel row number; None for the file as a whole
    column: str  # 'C “Mã HTX”' or ''
    message: str


@dataclass
class ImportReport:
    """What an import did or would do (in a dry run), for the preview, the admin and the
    command's summary line."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    layout: Layout | None = None
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def summary(self) -> str:
        return (
            f"new={self.new} updated={self.updated} unchanged={self.unchanged} "
            f"skipped={self.skipped} errors={len(self.errors)}"
        )

    @classmethod
    def failed(cls, message: str) -> "ImportReport":
        return cls(errors=[RowError(None, "", message)])

    def as_json(self, *, max_errors: int = 200) -> dict:
        """The report as plain JSON (a background job's summary): the counts, the first
        `max_errors` errors with `error_count` telling how many there were, and the layout
        as the preview shows it. The template reads it as it reads the report itself."""
        layout = self.layout
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
            "errors": [
                {"row": e.row, "column": e.column, "message": str(e.message)}
                for e in self.errors[:max_errors]
            ],
            "layout": layout
            and {
                "sheet": layout.sheet,
                "header_rows": list(layout.header_rows),
                "ignored": [
                    {"letter": c.letter, "header": c.header, "note": str(c.note)}
                    for c in layout.ignored
                ],
            },
        }


class CooperativeResource(resources.ModelResource):
    """Import and export of the cooperative registry with the Vietnamese headers of
    `importer.headers.COLUMNS`.

    Keyword arguments: `user` (whose province scope limits the rows), `default_province` (for
    rows without one), `progress` (called as progress(done, total) every 1,000 rows) and
    `before_write` (called with the number of rows about to be written by `import_checked`)."""

    registration_code = _field("registration_code", ParsingWidget(parse_code))
    name = _field("name")
    kind = _field(
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
    province_as_written = _field("province_as_written", readonly=True)
    district = _field("district")
    commune = _field("commune")
    address = _field("address")
    established_on = _field("established_on", ParsingWidget(parse_date))
    representative = _field("representative")
    phone = _field("phone", ParsingWidget(parse_phone))
    members = _field("members", ParsingWidget(parse_count))
    ethnic_minority_members = _field("ethnic_minority_members", ParsingWidget(parse_count))
    sector = _field("sector")
    charter_capital = _field("charter_capital", AmountWidget())
    revenue = _field("revenue", AmountWidget())
    rating = _field(
        "rating",
        ChoiceWidget(Cooperative.Rating, {"TB": "average", "Kém": "weak"}),
        default="",
    )
    ocop_stars = _field("ocop_stars", ParsingWidget(parse_ocop))
    ocop_products = _field("ocop_products")
    vietgap = _field("vietgap", YesNoWidget())
    organic = _field("organic", YesNoWidget())
    high_tech = _field("high_tech", YesNoWidget())
    digital_transformation = _field("digital_transformation", YesNoWidget())
    ecommerce = _field("ecommerce", YesNoWidget())
    in_ethnic_minority_area = _field("in_ethnic_minority_area", YesNoWidget())
    status = _field(
        "status",
        ChoiceWidget(
            Cooperative.Status,
            {"Hoạt động": "active", "Giải thể": "dissolved", "Đã giải thể": "dissolved"},
        ),
        default=Cooperative.Status.ACTIVE,
    )
    notes = _field("notes", ParsingWidget(parse_notes))

    class Meta:
        model = Cooperative
        name = gettext_lazy("Danh sách HTX")
        fields = [
            "registration_code",
            "name",
            "kind",
            "province",
            "province_as_written",
            "district",
            "commune",
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
        # The rows to create and to update, held back while `import_checked` checks the file.
        self._held: tuple[list, list] | None = None
        self.report = ImportReport()
        self._provinces: dict[str, Province | None] = {}
        self._codes: dict[str, int] = {}
        self._scope: frozenset[int] | None = None
        self._scope_rolled: frozenset[int] | None = None

    # --- export -------------------------------------------------------------------------
    def get_queryset(self):
        return Cooperative.objects.select_related("province__successor")

    def dehydrate_province(self, coop: Cooperative) -> str:
        """Today's unit: a record still filed under an old unit is exported under its
        successor (and imported back there)."""
        if not coop.province_id:
            return ""
        unit = coop.province if coop.province.is_current else coop.province.current_unit()
        return unit.label

    # --- import: set-up -----------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        self.layout: Layout = getattr(dataset, "layout", None) or Layout()
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
        self._total = len(dataset)
        headers = set(dataset.headers or [])
        self._columns = [
            (field.attribute, field.column_name, field.widget.clean, field.default)
            for field in self.get_import_fields()
            if not field.readonly and field.column_name in headers
        ]

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0)
        if self.progress and number % 1000 == 0:
            self.progress(number, self._total)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance._import_snapshot = self._snapshot(instance)

    @staticmethod
    def _snapshot(instance) -> tuple:
        return tuple(getattr(instance, name) for name in COMPARED_FIELDS)

    # --- import: one row ----------------------------------------------------------------
    def import_instance(self, instance, row, **kwargs):
        """Each column through its widget, as `Field.save` does but without its per-cell
        overhead (a third of the import time; see docs/benchmarks.md), then the row rules."""
        errors: dict[str, list] = {}
        for attribute, column, clean, default in self._columns:
            try:
                value = clean(row[column])
            except ValueError as error:
                errors[attribute] = [ValidationError(str(error), code="invalid")]
                continue
            if default is not NOT_PROVIDED and value in (None, ""):
                value = default
            setattr(instance, attribute, value)
        for name, message in self._row_problems(instance, row, kwargs.get("row_number", 0)):
            errors.setdefault(name, []).append(ValidationError(message))
        instance.fill_search_key()
        if errors:
            raise ValidationError(errors)

    def _row_problems(self, instance, row, number: int):
        code = instance.registration_code
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
        if not instance.name:
            yield "name", _("Thiếu tên HTX.")
        if (
            instance.pk
            and self._scope_rolled is not None
            and instance.province_id not in self._scope_rolled
        ):
            yield (
                "registration_code",
                _("HTX mã số %(code)s thuộc tỉnh khác; bạn chỉ được nhập HTX của tỉnh mình.")
                % {"code": code},
            )
        yield from self._import_province(instance, row)

    def _import_province(self, instance, row):
        """Today's province from the 'Tỉnh' column (or the one as written, or the default),
        keeping the name as written."""
        main = BY_FIELD["province"].header
        written_column = BY_FIELD["province_as_written"].header
        text = parse_text(row.get(main)) if main in row else ""
        written = parse_text(row.get(written_column)) if written_column in row else text
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
        elif instance.pk:
            return
        elif self.default_province is not None:
            province = self.default_province.current_unit()
        else:
            yield "province", _("Thiếu tỉnh, thành phố.")
            return
        if self._scope is not None and province.pk not in self._scope:
            yield (
                "province" if text else "province_as_written",
                _("Bạn chỉ được nhập HTX của tỉnh mình; dòng này thuộc %(province)s.")
                % {"province": province.label},
            )
        instance.province = province
        if main in row or written_column in row:
            instance.province_as_written = written

    def _resolve(self, name: str) -> Province | None:
        key = search_key(name)
        if key not in self._provinces:
            wanted = province_nickname(name) or name
            units = {p.current_unit() for p in Province.objects.matching_name(wanted)}
            self._provinces[key] = units.pop() if len(units) == 1 else None
        return self._provinces[key]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's field validators and `Cooperative.clean`, without what `full_clean`
        adds per row here: a query each for uniqueness (the upsert's business), the province
        (resolved from the database) and every check constraint (mirrored by the validators
        and `clean`), and type and choice checks that the widgets already made."""
        errors = dict(import_validation_errors or {})
        for model_field in VALIDATED_FIELDS:
            value = getattr(instance, model_field.attname)
            if model_field.name in errors or value in (None, ""):
                continue
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                errors[model_field.name] = error.error_list
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is counted 'unchanged' and not written."""
        if import_validation_errors:
            return False
        snapshot = getattr(instance, "_import_snapshot", None)
        return snapshot is not None and snapshot == self._snapshot(instance)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.updated_at = timezone.now()

    def get_bulk_update_fields(self):
        return [*(name.removesuffix("_id") for name in COMPARED_FIELDS), "search_key", "updated_at"]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Multi-row INSERTs with the values prepared by the model fields, instead of Django's
        `bulk_create`, which compiles its SQL anew for every batch (of 32 rows on SQLite).
        Only column names (quoted by the backend) go into the SQL text; values are parameters."""
        self._write_batch(self.create_instances, result, raise_errors, insert=True)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """One prepared UPDATE by id run for every changed row, instead of Django's
        `bulk_update` and its CASE WHEN per field."""
        self._write_batch(self.update_instances, result, raise_errors, insert=False)

    def _write_batch(self, instances: list, result, raise_errors: bool, *, insert: bool) -> None:
        if not instances:
            return
        if self._held is not None:
            self._held[0 if insert else 1].extend(instances)
            instances.clear()
            return
        if result is not None and result.has_validation_errors():
            # The import will be rolled back: writing more rows would only cost time.
            instances.clear()
            return
        try:
            self._write_rows(instances, insert=insert)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    def _write_rows(self, instances: list, *, insert: bool) -> None:
        connection = connections[self.get_db_connection_name()]
        quote = connection.ops.quote_name
        table = quote(Cooperative._meta.db_table)
        if insert:
            fields = [f for f in Cooperative._meta.concrete_fields if not f.primary_key]
            rows = [
                [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                for obj in instances
            ]
            # Many rows per statement, as many as the backend takes parameters.
            limit = connection.features.max_query_params or 65_000
            per_statement = max(1, min(1000, limit // len(fields)))
            columns = ", ".join(quote(f.column) for f in fields)
            row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
            with connection.cursor() as cursor:
                for start in range(0, len(rows), per_statement):
                    chunk = rows[start : start + per_statement]
                    values = ", ".join([row_marks] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                        [value for row in chunk for value in row],
                    )
        else:
            fields = [Cooperative._meta.get_field(n) for n in self.get_bulk_update_fields()]
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            params = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
                for obj in instances
            ]
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
                    params,
                )

    def import_checked(self, dataset, *, dry_run: bool, user=None):
        """Check every row first, outside any transaction, holding back the rows to write;
        then, unless it is a dry run or a row has an error, write them all in one transaction.

        What the background job uses: `progress` is written (autocommit) and seen by the page
        while the rows are checked, and the database's write lock is held only while writing
        (SQLite takes it at BEGIN) instead of for the whole file. A dry run writes nothing at
        all. Between the check and the write another import may have written the same code:
        the write then fails, is rolled back whole and is reported as a file-level error."""
        self._held = ([], [])
        try:
            result = self.import_data_inner(
                dataset,
                dry_run=True,
                raise_errors=False,
                using_transactions=False,
                collect_failed_rows=False,
                user=user,
            )
        finally:
            to_create, to_update = self._held
            self._held = None
        report = result.report
        report.dry_run = dry_run
        if dry_run or not report.ok:
            return result
        if self.before_write:
            self.before_write(len(to_create) + len(to_update))
        using = self.get_db_connection_name()
        try:
            with transaction.atomic(using=using):
                for start in range(0, len(to_create), self._meta.batch_size):
                    self._write_rows(to_create[start : start + self._meta.batch_size], insert=True)
                for start in range(0, len(to_update), self._meta.batch_size):
                    self._write_rows(to_update[start : start + self._meta.batch_size], insert=False)
        except DatabaseError as error:
            report.errors.append(self._write_error(error))
        return result

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
        report = self.report
        report.new = result.totals["new"]
        report.updated = result.totals["update"]
        report.unchanged = result.totals["skip"]
        order = {c.field: c.index for c in self.layout.columns if c.field}
        errors = []
        for invalid in result.invalid_rows:
            for name, messages in invalid.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else self.layout.column_label(name)
                for message in messages:
                    errors.append(
                        (
                            order.get(name, -1),
                            RowError(self._excel_row(invalid.number), column, message),
                        )
                    )
        for error_row in result.error_rows:
            for error in error_row.errors:
                logger.error(
                    "Cooperative import row %s failed", error_row.number, exc_info=error.error
                )
                message = _("Lỗi không mong đợi khi đọc dòng này: %(error)s") % {
                    "error": clean_text(str(error.error))[:200]
                }
                errors.append((-1, RowError(self._excel_row(error_row.number), "", message)))
        errors.sort(key=lambda item: (item[1].row or 0, item[0]))
        report.errors = [error for _order, error in errors]
        for error in result.base_errors:
            report.errors.append(self._write_error(error.error))
        result.report = report
        if self.progress:
            self.progress(self._total, self._total)
