"""Recount the dashboards' summary rows (`coordination.models.summary`) from the activities,
their latest progress and their cooperatives: for an installation whose data was written
around the app (SQL by hand, a restore of some tables), or to check that nothing was."""

from django.core.management.base import BaseCommand
from django.db import transaction

from coordination.models import summary


class Command(BaseCommand):
    help = "Tính lại các dòng tổng hợp của bảng điều khiển từ dữ liệu gốc."

    def handle(self, *args, **options):
        with transaction.atomic():
            plans = summary.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Đã tính lại số liệu tổng hợp của {plans} kế hoạch năm.")
        )
