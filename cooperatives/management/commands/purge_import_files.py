"""Delete the kept files of cooperative lists uploaded on /htx/nhap/ and never imported."""

import datetime

from django.core.management.base import BaseCommand

from cooperatives.uploads import cooperative_imports_purge


class Command(BaseCommand):
    help = (
        "Xoá các tệp danh sách HTX đã tải lên trang nhập mà không được xác nhận nhập, sau "
        "--days ngày (tệp đã nhập thì được xoá ngay khi nhập xong)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=float,
            default=2,
            help="Xoá tệp tải lên trước đó bao nhiêu ngày (mặc định 2).",
        )

    def handle(self, *, days: float, verbosity: int, **options):
        count = cooperative_imports_purge(older_than=datetime.timedelta(days=days))
        if verbosity:
            self.stdout.write(f"Đã xoá {count} tệp nhập HTX không được xác nhận.")
