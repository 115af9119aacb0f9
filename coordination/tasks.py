"""Background jobs of the coordination app (run by the worker, see core.jobs)."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency
from agencies.querysets import successor_path
from core import jobs
from core.db import vi_order
from core.xlsx import DATE_FORMAT, MONEY_FORMAT, Workbook

from .models import Activity, Program


@jobs.job_task()
def export_programs(job, *, user_id: int) -> dict:
    """An Excel workbook of the programs the user may see (one sheet) and their plans'
    activities with the latest progress (a second sheet), built in the background.

    Visibility is worked out again here, at run time, for the user who asked."""
    user = get_user_model().objects.get(pk=user_id)
    programs = list(
        Program.objects.visible_to(user)
        .select_related("province__successor")
        .prefetch_related(Prefetch("parties", queryset=Agency.objects.with_successors()))
        .order_by("level", vi_order("title"), "pk")
    )
    jobs.report_progress(
        job, done=0, total=len(programs), message=gettext_noop("Đang đọc các chương trình…")
    )
    book = Workbook()
    sheet = book.sheet(_("Chương trình"))
    detail = book.sheet(_("Hoạt động"))
    for ws, columns in ((sheet, 6), (detail, 10)):
        ws.set_widths([24] * columns)
    sheet.append(
        [_("Chương trình"), _("Số, ký hiệu"), _("Cấp / tỉnh"), _("Từ năm"), _("Đến năm"),
         _("Cơ quan ký kết")]
    )  # fmt: skip
    detail.append(
        [_("Chương trình"), _("Năm"), _("Nội dung số"), _("Nội dung phối hợp"), _("Hoạt động"),
         _("Cơ quan chủ trì"),
         _("Bắt đầu"), _("Kết thúc"), _("Kinh phí dự kiến (đồng)"), _("Tiến độ (%)")]
    )  # fmt: skip
    activity_count = 0
    for done, program in enumerate(programs, 1):
        where = program.province.recorded_label if program.province else program.get_level_display()
        parties = "; ".join(agency.recorded_label for agency in program.parties.all())
        sheet.append(
            [program.title, program.number, where, program.start_year, program.end_year, parties]
        )
        activities = (
            Activity.objects.filter(plan__program=program)
            .with_latest_progress()
            .select_related("plan", "task_area", successor_path("lead_agency"))
            .order_by("plan__year", "task_area__number", "start_date", "pk")
        )
        for activity in activities:
            start, end = (
                detail.cell(day, number_format=DATE_FORMAT)
                for day in (activity.start_date, activity.end_date)
            )
            detail.append(
                # The task area's number and its name apart: sortable, and readable alone.
                [program.title, activity.plan.year, activity.task_area.number,
                 activity.task_area.title, activity.title,
                 activity.lead_agency.recorded_label, start, end,
                 detail.cell(activity.planned_budget, number_format=MONEY_FORMAT),
                 activity.latest_percent]
            )  # fmt: skip
            activity_count += 1
        jobs.report_progress(job, done=done)
    jobs.attach_file(job, "chuong-trinh.xlsx", book.to_bytes())
    jobs.finish_message(
        job,
        gettext_noop("Đã xuất %(programs)s chương trình và %(activities)s hoạt động."),
        {"programs": len(programs), "activities": activity_count},
    )
    return {"programs": len(programs), "activities": activity_count}
