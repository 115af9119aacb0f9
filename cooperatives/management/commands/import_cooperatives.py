"""python manage.py import_cooperatives FILE [--dry-run] [--province NAME] [--user LOGIN]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agencies.models import Province
from cooperatives.importer import Limits
from cooperatives.importer.files import megabytes
from cooperatives.services import cooperatives_import


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A property: argparse needs a plain string in the language active at run time.
        return _(
            "Nhập danh sách HTX từ tệp .xlsx hoặc .csv. Có lỗi thì không ghi gì; dòng cuối in "
            "new=N updated=N unchanged=N skipped=N errors=N; mã thoát 1 khi có lỗi."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("tệp .xlsx hoặc .csv"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("chỉ kiểm tra, không ghi gì (xem trước)")
        )
        parser.add_argument(
            "--province", help=_("tỉnh dùng cho các dòng không ghi tỉnh, ví dụ “Đồng Nai”")
        )
        parser.add_argument(
            "--user", help=_("nhập với quyền của người dùng này (chỉ các tỉnh người đó được nhập)")
        )
        parser.add_argument(
            "--engine", choices=["calamine", "openpyxl"], default="calamine", help=_("bộ đọc .xlsx")
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        limit = Limits.from_settings().max_bytes
        if path.stat().st_size > limit:
            # Refused before reading it into memory.
            self.stderr.write(
                _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": megabytes(path.stat().st_size), "limit": megabytes(limit)}
            )
            self.stdout.write("new=0 updated=0 unchanged=0 skipped=0 errors=1")
            sys.exit(1)
        province = self._province(options["province"])
        user = self._user(options["user"])
        progress = self._progress_bar() if self.stdout.isatty() else None
        report = cooperatives_import(
            data=path.read_bytes(),
            name=path.name,
            user=user,
            dry_run=options["dry_run"],
            default_province=province,
            engine=options["engine"],
            progress=progress,
        )
        if progress:
            self.stdout.write("")
        for error in report.errors:
            where = _("dòng %(row)s") % {"row": error.row} if error.row else _("tệp")
            column = f", {_('cột')} {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        if report.layout and report.layout.ignored:
            names = ", ".join(f"{c.letter} “{c.header}”" for c in report.layout.ignored)
            self.stdout.write(_("Cột bỏ qua: %(names)s") % {"names": names})
        if options["dry_run"] and report.ok:
            self.stdout.write(_("Chạy thử: chưa ghi gì vào cơ sở dữ liệu."))
        self.stdout.write(report.summary)
        if not report.ok:
            sys.exit(1)

    def _province(self, name):
        if not name:
            return None
        units = {p.current_unit() for p in Province.objects.matching_name(name)}
        if len(units) != 1:
            raise CommandError(_("Không nhận ra tỉnh, thành phố “%(name)s”.") % {"name": name})
        return units.pop()

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("Không có người dùng “%(name)s”.") % {"name": username}) from None

    def _progress_bar(self):
        out = self.stdout

        def show(done: int, total: int) -> None:
            width = 40
            filled = width * done // total if total else width
            out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            out.flush()

        return show
