"""Mark failed the background jobs whose worker died, so no page waits for them forever."""

import datetime

from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = (
        "Đánh dấu không thành công các công việc nền đang chạy mà máy chạy nền đã dừng "
        "(không có tiến độ mới trong --minutes phút, hoặc tác vụ đã kết thúc)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=30,
            help="Số phút không có dấu hiệu hoạt động thì coi là đã dừng (mặc định 30; 0 khi "
            "chỉ có một máy chạy nền và nó vừa khởi động).",
        )

    def handle(self, *, minutes: int, verbosity: int, **options):
        failed = jobs.fail_stale(older_than=datetime.timedelta(minutes=minutes))
        if verbosity:
            self.stdout.write(f"{len(failed)} công việc bị gián đoạn đã được đánh dấu.")
        for job in failed:
            if verbosity > 1:
                self.stdout.write(f"  #{job.pk} {job.display_title}")
