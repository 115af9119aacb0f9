"""Load the demo data from the files beside this module: `shared.toml` (agencies, cooperatives,
demo users) and `programs/*.toml`, one program each with its indicators, yearly plans,
activities and progress, loaded in file-name order. README.md describes the keys; most are the
arguments of the coordination service that creates the row, the rest name other rows.

Idempotent: every row is found by its natural key first (agency: name and province;
cooperative: registration code; user: username; program: title; indicator: code; plan: year)
and only created when missing, and a plan's activities, progress and approvals are added only
with a plan created in this run; so a second run leaves the database as the first one did.
A mistake in a file stops the load with a `DemoDataError` naming the file and the key."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.module_loading import import_module, module_has_submodule

from agencies.models import Agency, Membership, Province
from cooperatives.models import Cooperative
from coordination import services
from coordination.demo.tables import Table, read
from coordination.models import Indicator, NtpProject, Program, YearlyPlan
from coordination.services.programs import CALENDAR_FIELDS

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "HopLuc@2026"  # noqa: S105 - the published password of the demo users (README)


def province(row: Table) -> Province | None:
    """`province` (a code, the province of today) or `former_province` (before the 2025
    mergers); None when neither is given."""
    for key, current in (("province", True), ("former_province", False)):
        code = row.get(key, default=None)
        if code is not None:
            units = Province.objects.filter(code=code, valid_to__isnull=current)
            if len(units) != 1:
                raise row.error(key, f"không có đúng một tỉnh mã “{code}”")
            return units[0]
    return None


@dataclass
class Demo:
    """What the load created or found, by the keys the data files use."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    cooperatives: dict[str, Cooperative] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    projects: dict[int, NtpProject] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def load_demo(*, folder: Path = DEMO_DIR) -> Demo:
    """Load `shared.toml` and every file of `programs/` in `folder`, then let the apps above
    coordination add their own demo rows; returns the logins to print among the rest."""
    demo = Demo(projects={project.number: project for project in NtpProject.objects.all()})
    with read(folder / "shared.toml") as shared:
        load_agencies(shared, demo)
        load_cooperatives(shared, demo)
        load_users(shared, demo)
    for file in sorted((folder / "programs").iterdir()):
        if file.suffix != ".toml":
            raise Table({}, file=file).error(None, "thư mục programs chỉ chứa các tệp .toml")
        with read(file) as doc:
            load_program(doc, demo)
    load_app_demos(agencies=demo.agencies, users=demo.users, cooperatives=demo.cooperatives)
    return demo


def load_app_demos(**loaded) -> None:
    """Let apps above coordination add their own demo rows (reporting adds commendations)
    without coordination importing them: each app's `demo.load(**loaded)`, if it has one."""
    for config in apps.get_app_configs():
        if config.name != "coordination" and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo").load(**loaded)


# Provincial bodies of these kinds have their People's Committee above them in a document header.
UNDER_PEOPLES_COMMITTEE = {Agency.Kind.ETHNIC_AFFAIRS, Agency.Kind.DEPARTMENT}


def agency(
    name: str,
    short: str,
    kind: str,
    unit: Province,
    *,
    successor: Agency | None = None,
    succeeded_on: datetime.date | None = None,
) -> Agency:
    """The provincial agency `name` of `unit`, created or brought up to date; one with a
    successor is no longer active."""
    obj, _ = Agency.objects.update_or_create(
        name=name,
        province=unit,
        defaults={
            "short_name": short,
            "kind": kind,
            "level": "provincial",
            "active": successor is None,
            "successor": successor,
            "succeeded_on": succeeded_on,
            "under_peoples_committee": kind in UNDER_PEOPLES_COMMITTEE,
        },
    )
    return obj


def load_agencies(shared: Table, demo: Demo) -> None:
    with shared.table("central_agencies") as central:
        for key in list(central.data):
            name = central.get(key)
            found = Agency.objects.filter(name=name, province=None).first()
            if found is None:
                raise central.error(key, f"không có cơ quan trung ương “{name}”")
            demo.agencies[key] = found
    for key, row in shared.named("agencies"):
        with row:
            demo.agencies[key] = agency(
                row.get("name"),
                row.get("short_name", default=""),
                row.get("kind"),
                province(row),
                successor=row.ref("successor", demo.agencies, "cơ quan (ghi ở trên)", default=None),
                succeeded_on=row.get("succeeded_on", datetime.date, default=None),
            )


def load_cooperatives(shared: Table, demo: Demo) -> None:
    for key, row in shared.named("cooperatives"):
        with row:
            code = row.get("registration_code")
            coop = Cooperative.objects.filter(registration_code=code).first()
            coop = coop or Cooperative(registration_code=code)
            coop.province = province(row)
            for name in list(row.data):
                try:
                    Cooperative._meta.get_field(name)
                except FieldDoesNotExist:
                    raise row.error(name, "hợp tác xã không có trường này") from None
                setattr(coop, name, row.get(name, object))
            with row.saving():
                coop.full_clean()
                coop.save()
        demo.cooperatives[key] = coop


def load_users(shared: Table, demo: Demo) -> None:
    for username, row in shared.named("users"):
        with row:
            first, _, last = row.get("full_name").rpartition(" ")
            is_admin = row.get("admin", bool, False)
            email = row.get("email", default=f"{username}@demo.hopluc.vn")
            memberships = []
            with row.table("memberships") as roles:
                for key in list(roles.data):
                    if key not in demo.agencies:
                        raise roles.error(key, f"không có cơ quan “{key}”")
                    memberships.append((roles.get(key), demo.agencies[key]))
            demo.logins.append((username, row.get("description")))
        user, created = get_user_model().objects.get_or_create(username=username)
        user.first_name, user.last_name = last, first
        user.email = email
        user.is_staff = user.is_superuser = is_admin
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        for role, agency_ in memberships:
            Membership.objects.update_or_create(user=user, agency=agency_, defaults={"role": role})
        demo.users[username] = user


def load_program(doc: Table, demo: Demo) -> None:
    """One program file: the program (arguments of `program_create`), its indicators and its
    yearly plans."""
    row = doc.table("program")
    calendar = row.table("calendar", {})
    title = row.get("title")
    program = Program.objects.filter(title=title).first()
    if program is None:
        phases = row.get("phases", list, [])
        if not all(isinstance(years, list) and len(years) == 2 for years in phases):
            raise row.error("phases", "mỗi giai đoạn là một cặp [năm đầu, năm cuối]")
        program = row.call(
            services.program_create,
            title=title,
            province=province(row),
            parties=row.refs("parties", demo.agencies, "cơ quan"),
            phases=[tuple(years) for years in phases],
        )
    areas = {area.number: area for area in program.task_areas.all()}
    indicators = load_indicators(doc, program, areas)
    for row in doc.tables("plans"):
        load_plan(row, demo, program, areas, indicators)
    # After the plans: a calendar that closes its periods would refuse their past progress.
    load_calendar(calendar, program)


def load_calendar(calendar: Table, program: Program) -> None:
    """The program's reporting calendar (`[program.calendar]`: the keys of
    `services.CALENDAR_FIELDS`), set on every load (the same values change nothing)."""
    values = {}
    for key in list(calendar.data):
        if key not in CALENDAR_FIELDS:
            raise calendar.error(key, "khóa không dùng đến (viết sai tên khóa?)")
        kind = int if key.endswith("_value") else str if key.endswith("_rule") else bool
        values[key] = calendar.get(key, kind)
    if values:
        with calendar.saving():
            services.program_update(program=program, by=None, **values)


def load_indicators(doc: Table, program: Program, areas: dict) -> dict[str, Indicator]:
    """The program's indicators by code, those of the file (arguments of `indicator_create`)
    created when missing; `targets` maps a phase number to its target as written ('≥ 1')."""
    phases = {str(phase.number): phase for phase in program.phases.all()}
    indicators = {indicator.code: indicator for indicator in program.indicators.all()}
    for row in doc.tables("indicators"):
        code = row.get("code")
        if code in indicators:
            continue
        given, targets = row.table("targets", {}), {}
        for number in list(given.data):
            if number not in phases:
                raise given.error(number, "chương trình không có giai đoạn số này")
            targets[phases[number]] = given.get(number)
        indicators[code] = row.call(
            services.indicator_create,
            program=program,
            code=code,
            targets=targets,
            task_area=row.ref("task_area", areas, "lĩnh vực", int, default=None),
        )
    return indicators


def load_plan(row: Table, demo: Demo, program: Program, areas: dict, indicators: dict) -> None:
    """A yearly plan (arguments of `plan_create`) with its activities (of `activity_create`)
    and their progress (of `progress_record`), unless the program has a plan of that year."""
    year = row.get("year", int)
    if YearlyPlan.objects.filter(program=program, year=year).exists():
        return
    status = row.get("status", default=YearlyPlan.Status.DRAFT)
    author = row.ref("progress_author", demo.users, "người dùng", default=None)
    submitted_by = row.ref("submitted_by", demo.users, "người dùng", default=None)
    approved_by = row.refs("approved_by", demo.users, "người dùng")
    activities = row.tables("activities")
    plan = row.call(services.plan_create, program=program, year=year)
    with row.saving():
        # Plans of past years are recorded as they were decided, not taken through approval.
        plan.status = status
        plan.full_clean()
        plan.save(update_fields=["status"])
    for item in activities:
        progress = item.tables("progress")
        activity = item.call(
            services.activity_create,
            plan=plan,
            task_area=item.ref("task_area", areas, "lĩnh vực", int),
            lead_agency=item.ref("lead_agency", demo.agencies, "cơ quan"),
            supporting_agencies=item.refs("supporting_agencies", demo.agencies, "cơ quan"),
            indicator=item.ref("indicator", indicators, "chỉ tiêu", default=None),
            target_value=item.get("target_value", Decimal, None),
            cooperatives=item.refs("cooperatives", demo.cooperatives, "hợp tác xã"),
            ntp_projects=item.refs("ntp_projects", demo.projects, "dự án thành phần", int),
        )
        for update in progress:
            if author is None:
                raise row.error("progress_author", "bắt buộc khi kế hoạch có cập nhật tiến độ")
            update.call(
                services.progress_record,
                activity=activity,
                author=author,
                actual_value=update.get("actual_value", Decimal, None),
            )
    with row.saving():
        if submitted_by is not None:
            services.plan_submit(plan=plan, by=submitted_by)
        for manager in approved_by:
            services.plan_approve(plan=plan, by=manager)
