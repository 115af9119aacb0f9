"""Reading the demo data files: a TOML table read key by key, so that a mistake names the file
and the key (`DemoDataError`), and the keys left over are either a service's arguments or an
error."""

import datetime
import inspect
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError

REQUIRED: Any = object()
KIND_NAMES = {str: "chuỗi", int: "số nguyên", bool: "true/false", list: "danh sách [...]"}
KIND_NAMES |= {dict: "bảng", Decimal: "số", datetime.date: "ngày (2025-03-01)"}


class DemoDataError(CommandError):
    """A demo data file that cannot be loaded; the message names the file and the key."""


class Table:
    """One table of a data file, read key by key so that a mistake names the file and the key.
    Keys are taken out as they are read; a key that nothing reads is an error (a misspelt key
    must not become a silently missing value): `with table:` checks it for tables read by
    `get`, `call` for those whose remaining keys are a service's arguments."""

    def __init__(self, data: dict, *, file: Path, path: str = ""):
        self.data, self.file, self.path = dict(data), file, path

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is None and self.data:
            raise self.error(next(iter(self.data)), "khóa không dùng đến (viết sai tên khóa?)")

    def where(self, key: str | int) -> str:
        key = f'"{key}"' if "." in str(key) else key  # as TOML writes such a key
        return f"{self.path}.{key}" if self.path else str(key)

    def error(self, key: str | int | None, message: str) -> DemoDataError:
        """'<file, from the project folder>, khóa “<key path>”: <message>'."""
        base = settings.BASE_DIR
        name = self.file.relative_to(base) if self.file.is_relative_to(base) else self.file
        where = self.path if key is None else self.where(key)
        return DemoDataError(
            f"{name}, khóa “{where}”: {message}" if where else f"{name}: {message}"
        )

    def get(self, key: str | int, kind: type = str, default: Any = REQUIRED) -> Any:
        if key not in self.data:
            if default is REQUIRED:
                raise self.error(key, "thiếu khóa bắt buộc này")
            return default
        value = self.data.pop(key)
        if kind is Decimal and isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"phải là {KIND_NAMES[kind]}, không phải {value!r}")
        return value

    def ref(self, key: str | int, choices: dict, what: str, kind: type = str, default=REQUIRED):
        """The row that the value of `key` names among `choices` (what: 'cơ quan', …)."""
        if key not in self.data and default is not REQUIRED:
            return default
        value = self.get(key, kind)
        if value not in choices:
            raise self.error(key, f"không có {what} “{value}”")
        return choices[value]

    def refs(self, key: str, choices: dict, what: str, kind: type = str) -> list:
        """The rows that the items of the list `key` name, counted from 1 in messages."""
        items = dict(enumerate(self.get(key, list, []), start=1))
        values = Table(items, file=self.file, path=self.where(key))
        return [values.ref(number, choices, what, kind) for number in list(values.data)]

    def table(self, key: str, default: Any = REQUIRED) -> "Table":
        return Table(self.get(key, dict, default), file=self.file, path=self.where(key))

    def tables(self, key: str) -> list["Table"]:
        """An array of tables ([[key]] in the file), counted from 1 in messages."""
        items = self.get(key, list, [])
        if not all(isinstance(item, dict) for item in items):
            raise self.error(key, "phải là các bảng [[…]]")
        return [
            Table(item, file=self.file, path=f"{self.where(key)}[{number}]")
            for number, item in enumerate(items, start=1)
        ]

    def named(self, key: str) -> list[tuple[str, "Table"]]:
        """The tables [key.name] of the file, in the file's order."""
        tables = self.table(key, {})
        return [(name, tables.table(name)) for name in list(tables.data)]

    @contextmanager
    def saving(self) -> Iterator[None]:
        """Report a model's refusal (full_clean) with the file and the table it came from."""
        try:
            yield
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            text = "; ".join(
                f"{name}: {message}" if name and name != NON_FIELD_ERRORS else message
                for name, messages in fields.items()
                for message in messages
            )
            raise self.error(None, text) from error

    def call(self, service: Callable, **resolved) -> Any:
        """`service(**resolved, **remaining keys)`: the keys left in the table are arguments of
        the service, checked against its signature."""
        arguments = {**self.data, **resolved}
        parameters = inspect.signature(service).parameters
        for key in self.data:
            if key not in parameters:
                raise self.error(key, "khóa không dùng đến (viết sai tên khóa?)")
        for key, parameter in parameters.items():
            if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                continue
            if parameter.default is parameter.empty and key not in arguments:
                raise self.error(key, "thiếu khóa bắt buộc này")
        self.data.clear()
        with self.saving():
            return service(**arguments)


def read(file: Path) -> Table:
    try:
        with file.open("rb") as handle:
            return Table(tomllib.load(handle), file=file)
    except tomllib.TOMLDecodeError as error:
        raise Table({}, file=file).error(None, f"không đọc được TOML: {error}") from error
