"""Load the demo data from coordination/demo/ (see its README.md). Idempotent: a second run
leaves the database exactly as the first one did."""

from django.core.management.base import BaseCommand

# DEMO_PASSWORD and agency() are imported from here by generate_scale_data and the browser tests.
from coordination.demo.loader import DEMO_PASSWORD, agency, load_demo

__all__ = ["DEMO_PASSWORD", "Command", "agency"]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại nhiều lần cho cùng một kết quả)."

    def handle(self, *args, **options):
        demo = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu. Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):"
            )
        )
        for username, description in demo.logins:
            self.stdout.write(f"  {username:<22} {description}")
