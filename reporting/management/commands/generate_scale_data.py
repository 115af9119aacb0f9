"""Build a realistic national data set to measure the dashboards: the 34 current provinces from
the reference data (and the old units that merged into them), one coordination program per
current province plus the national one, yearly plans 2021–2026 (phase targets to 2030), about
60,000 activities, 200,000 progress updates and 35,000 cooperatives.

Deterministic for a given `--seed` (and `--as-of` day, the last day progress is reported).
Rows are written with `bulk_create` in batches inside one transaction, so django-simple-history
records no history for them. Generated rows are marked (program numbers ending in "/SL",
cooperative codes starting with "99"), so `--replace` can remove a previous run; agencies and
users are found by name and reused.

The provincial programs carry out the national one (`Program.national_program`), and each has
a finalised annual review of `--report-year` (default: the year before the last one), so the
national review of that year compiles 34 provinces' reports (benchmarks/national_rollup.py);
three of them were finalised after the deadline. `--no-reports` leaves the reports out.

Merged provinces: the program was signed in 2021 by the old host unit's Ban Dân tộc and
Liên minh HTX (its `province` is the old unit, e.g. Kiên Giang for today's An Giang), and
activities that end before 1 July 2025 are led by the agencies of the old units. Unchanged
provinces keep their unit; their Ban Dân tộc hands over to the Sở Dân tộc và Tôn giáo.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from time import monotonic

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, Membership, Province
from agencies.querysets import REORGANISATION_DATE
from cooperatives.models import Cooperative
from coordination import services
from coordination.management.commands.load_demo import DEMO_PASSWORD, agency
from coordination.models import Activity, Program, ProgressUpdate, YearlyPlan, summary
from reporting.models import Report, ReportSignatory
from reporting.reports.services import report_generate

MARK = "/SL"
CODE_PREFIX = 9_900_000_000
BATCH = 5000

INDICATORS = [
    # code, name, unit, task area, aggregation, range of an activity's value
    ("01", "HTX thành lập mới vùng DTTS và MN", "HTX", 4, "sum", (0, 3)),
    ("02", "HTX ứng dụng công nghệ cao, sản xuất theo chuỗi giá trị", "HTX", 4, "max", (0, 2)),
    ("03", "Lượt cán bộ, thành viên HTX được đào tạo, bồi dưỡng", "lượt người", 3, "sum", (10, 80)),
    ("04", "HTX vùng DTTS bán hàng trên sàn thương mại điện tử", "HTX", 2, "latest", (1, 5)),
    ("05", "Hội nghị, hội thảo, tọa đàm về KTTT, HTX", "cuộc", 1, "sum", (1, 3)),
]
TITLES = {
    1: ["Hội thảo góp ý chính sách phát triển KTTT, HTX vùng DTTS", "Khảo sát, đánh giá thực trạng HTX vùng DTTS và MN", "Tọa đàm đề xuất cơ chế hỗ trợ HTX"],
    2: ["Hội nghị tuyên truyền Luật Hợp tác xã 2023", "Phóng sự, chuyên mục về mô hình HTX hiệu quả", "Tập huấn bán hàng trên sàn thương mại điện tử"],
    3: ["Lớp bồi dưỡng cán bộ quản lý HTX", "Đào tạo nghề cho đồng bào DTTS thiếu đất sản xuất", "Tham quan học tập mô hình HTX kiểu mới"],
    4: ["Vận động thành lập mới HTX vùng đồng bào DTTS", "Hỗ trợ HTX liên kết chuỗi giá trị, chứng nhận OCOP", "Hỗ trợ HTX chuyển đổi số, ứng dụng công nghệ cao"],
    5: ["Kiểm tra, giám sát thực hiện chương trình phối hợp", "Sơ kết năm thực hiện chương trình phối hợp", "Khen thưởng tập thể, cá nhân tiêu biểu"],
}  # fmt: skip
SECTORS = [
    ("Nông nghiệp", 40), ("Nông nghiệp — lúa gạo", 8), ("Nông nghiệp — cà phê", 5), ("Chăn nuôi", 8),
    ("Lâm nghiệp", 6), ("Thủy sản", 7), ("Dược liệu", 4), ("Dệt thổ cẩm", 3), ("Thủ công mỹ nghệ", 4),
    ("Dịch vụ du lịch cộng đồng", 3), ("Thương mại, dịch vụ", 7), ("Vận tải", 3), ("Xây dựng", 2),
]  # fmt: skip
AREA_WEIGHTS = [15, 25, 20, 30, 10]


def weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


class Command(BaseCommand):
    help = "Sinh bộ dữ liệu quy mô toàn quốc để đo tốc độ bảng điều khiển (tất định theo --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Nhân số hoạt động, cập nhật và HTX."
        )
        parser.add_argument("--activities", type=int, default=60_000)
        parser.add_argument("--updates", type=int, default=200_000)
        parser.add_argument("--cooperatives", type=int, default=35_000)
        parser.add_argument("--first-year", type=int, default=2021)
        parser.add_argument("--last-year", type=int, default=2026)
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="Ngày cuối cùng có báo cáo tiến độ (mặc định 31/10 của năm cuối).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Xóa dữ liệu do lệnh này sinh trước đó."
        )
        parser.add_argument(
            "--report-year",
            type=int,
            default=None,
            help="Năm các tỉnh đã hoàn thành báo cáo sơ kết (mặc định: năm trước năm cuối).",
        )
        parser.add_argument(
            "--no-reports", action="store_true", help="Không lập báo cáo sơ kết của các tỉnh."
        )

    def handle(self, *args, **options):
        started = monotonic()
        self.rng = random.Random(options["seed"])
        scale = options["scale"]
        self.n_activities = max(1, round(options["activities"] * scale))
        self.n_updates = max(0, round(options["updates"] * scale))
        self.n_coops = max(0, round(options["cooperatives"] * scale))
        self.years = range(options["first_year"], options["last_year"] + 1)
        if not self.years:
            raise CommandError("Năm đầu phải nhỏ hơn hoặc bằng năm cuối.")
        self.as_of = options["as_of"] or datetime.date(options["last_year"], 10, 31)
        report_year = options["report_year"] or max(self.years[0], self.years[-1] - 1)
        self.report_year = None if options["no_reports"] else report_year
        if self.report_year is not None and self.report_year not in self.years:
            raise CommandError("Năm báo cáo phải nằm trong các năm được sinh.")
        if Program.objects.filter(number__endswith=MARK).exists():
            if not options["replace"]:
                raise CommandError(
                    "Dữ liệu quy mô lớn đã có; chạy lại với --replace để sinh lại từ đầu."
                )
            self.remove_previous()
        with transaction.atomic():
            self.generate()
        # A bulk load leaves the query planner's statistics describing the old, near-empty
        # tables until autovacuum gets round to them; fresh statistics keep the dashboards'
        # plans right from the first request (PostgreSQL counts its own transaction's rows).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {Program.objects.filter(number__endswith=MARK).count()} chương trình, "
                f"{self.counts['plans']} kế hoạch năm, {self.counts['activities']} hoạt động, "
                f"{self.counts['updates']} cập nhật tiến độ, {self.counts['cooperatives']} HTX, "
                f"{self.counts['reports']} báo cáo sơ kết cấp tỉnh đã hoàn thành "
                f"trong {monotonic() - started:.0f} giây. Tài khoản: tw.lanhdao (toàn quốc), "
                f"lanhdao.<mã tỉnh> (mật khẩu {DEMO_PASSWORD})."
            )
        )

    @transaction.atomic
    def remove_previous(self):
        """Delete a previous run's rows. Raw deletes, in dependency order: the generated rows
        have no history, and per-row signals would take minutes at national scale."""
        programs = Program.objects.filter(number__endswith=MARK)
        activities = Activity.objects.filter(plan__program__in=programs)
        Report.objects.filter(program__in=programs).delete()
        programs.update(national_program=None)  # the provincial programs protect the national
        coops = Cooperative.objects.filter(registration_code__startswith=str(CODE_PREFIX)[:2])
        supported = summary.SupportedCooperative.objects.filter(cooperative__in=coops)
        # Other plans whose activities supported a generated cooperative: recounted at the end.
        others = set(supported.values_list("plan_id", flat=True).distinct())
        for rows in [
            summary.ActivityTally.objects.filter(plan__program__in=programs),
            summary.SupportedCooperative.objects.filter(
                Q(plan__program__in=programs) | Q(cooperative__in=coops)
            ),
            Activity.cooperatives.through.objects.filter(
                Q(activity__in=activities) | Q(cooperative__in=coops)
            ),
            Activity.supporting_agencies.through.objects.filter(activity__in=activities),
            ProgressUpdate.objects.filter(activity__in=activities),
            activities,
            YearlyPlan.objects.filter(program__in=programs),
            coops,
        ]:
            rows._raw_delete(rows.db)
        programs.delete()
        others = YearlyPlan.objects.filter(pk__in=others).values_list("pk", flat=True)
        summary.recount_plans(others)
        # Their supported rows went by the raw deletes above, so the recount found nothing to
        # change: their distinct counts are recounted here.
        summary.recount_reach(plan_ids=list(others))

    # --- the whole set --------------------------------------------------------------------
    def generate(self):
        self.counts = defaultdict(int)
        units = list(Province.objects.current().order_by("code"))
        olds = defaultdict(list)
        for old in Province.objects.former().order_by("code"):
            olds[old.current_unit().pk].append(old)
        self.units, self.olds = units, olds
        self.agencies = {unit.pk: self.province_agencies(unit, olds[unit.pk]) for unit in units}
        self.users()
        coops_by_unit = self.cooperatives(units, olds)
        national = self.national_program()
        programs = [national] + [self.province_program(unit, national) for unit in units]
        plans = self.plans(programs)
        activities = self.activities(plans, coops_by_unit)
        self.updates(activities)
        if self.report_year is not None:
            self.reports(programs[1:])

    def province_agencies(self, unit: Province, olds: list[Province]) -> dict:
        """Today's agencies of a unit, and the old units' (or the unit's former Ban Dân tộc)."""
        ethnic, alliance = Agency.Kind.ETHNIC_AFFAIRS, Agency.Kind.COOPERATIVE_ALLIANCE

        prefix = "thành phố" if unit.kind == Province.Kind.CITY else "tỉnh"
        new = {
            "ethnic": agency(f"Sở Dân tộc và Tôn giáo {prefix} {unit.name}", "SDTTG", ethnic, unit),
            "alliance": agency(
                f"Liên minh Hợp tác xã {prefix} {unit.name}", "LMHTX", alliance, unit
            ),
            "farming": agency(
                f"Sở Nông nghiệp và Môi trường {prefix} {unit.name}",
                "SNNMT",
                Agency.Kind.DEPARTMENT,
                unit,
            ),
        }
        old_units = olds or [unit]
        old = []
        for where in old_units:
            where_prefix = "thành phố" if where.kind == Province.Kind.CITY else "tỉnh"
            board = agency(
                f"Ban Dân tộc {where_prefix} {where.name}",
                "BDT",
                ethnic,
                where,
                successor=new["ethnic"],
            )
            old_alliance = (
                agency(
                    f"Liên minh Hợp tác xã {where_prefix} {where.name}",
                    "LMHTX",
                    alliance,
                    where,
                    successor=new["alliance"],
                )
                if olds
                else new["alliance"]
            )
            old.append({"unit": where, "ethnic": board, "alliance": old_alliance})
        # The host unit (whose code the merged province kept) signed the 2021 program.
        host = next((o for o in old if o["unit"].code == unit.code), old[0])
        return {"new": new, "old": old, "host": host}

    def users(self):
        User = get_user_model()
        existing = set(
            User.objects.filter(username__startswith="lanhdao.").values_list("username", flat=True)
        )
        central = Agency.objects.get(name="Bộ Dân tộc và Tôn giáo", province=None)
        # One hash for all: the managers share the demo password, and each hash costs ~0.4 s.
        password = make_password(DEMO_PASSWORD)
        specs = [("tw.lanhdao", central)] + [
            (f"lanhdao.{unit.code}", self.agencies[unit.pk]["new"]["ethnic"]) for unit in self.units
        ]
        for username, workplace in specs:
            if username in existing:
                continue
            user, created = User.objects.get_or_create(
                username=username, defaults={"last_name": "Lãnh đạo", "first_name": workplace.name}
            )
            if created:
                user.password = password
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                user=user, agency=workplace, defaults={"role": "manager"}
            )

    # --- cooperatives -----------------------------------------------------------------------
    def cooperatives(self, units, olds) -> dict[int, list[int]]:
        rng = self.rng
        weights = [rng.uniform(0.4, 1.6) for _ in units]
        start = Cooperative.objects.filter(registration_code__startswith="99").count()
        batch, by_unit = [], defaultdict(list)
        for i in range(self.n_coops):
            unit = rng.choices(units, weights=weights)[0]
            written = rng.choice(olds[unit.pk]) if olds[unit.pk] else unit
            sector = weighted(rng, SECTORS)
            minority_area = rng.random() < 0.6
            members = None if rng.random() < 0.05 else rng.randint(7, 200)
            ethnic = None
            if members is not None and rng.random() < 0.9:
                share = rng.uniform(0.3, 1.0) if minority_area else rng.uniform(0.0, 0.2)
                ethnic = int(members * share)
            ocop = weighted(rng, [(None, 85), (3, 9), (4, 5), (5, 1)])
            coop = Cooperative(
                registration_code=str(CODE_PREFIX + start + i),
                name=f"HTX {sector.split(' — ')[0]} {written.name} số {i + 1}",
                province=unit,
                province_as_written=written.name,
                commune=f"Xã {rng.randint(1, 120)}",
                members=members,
                ethnic_minority_members=ethnic,
                sector=sector,
                ocop_stars=ocop,
                in_ethnic_minority_area=minority_area,
                established_on=datetime.date(rng.randint(1997, 2025), rng.randint(1, 12), 1),
                rating=rng.choice(["good", "fair", "fair", "average", "weak", ""]),
                ecommerce=rng.random() < 0.2,
                digital_transformation=rng.random() < 0.15,
                high_tech=rng.random() < 0.05,
            )
            coop.fill_search_key()
            batch.append(coop)
        Cooperative.objects.bulk_create(batch, batch_size=BATCH)
        for coop in batch:
            by_unit[coop.province_id].append(coop.pk)
        self.counts["cooperatives"] = len(batch)
        return by_unit

    # --- programs and plans -----------------------------------------------------------------
    def program_fields(self, number: str) -> dict:
        first, last = self.years[0], max(self.years[-1], 2030)
        phase_end = min(2025, last)
        phases = [(first, phase_end)] if first <= phase_end else []
        if last > phase_end:
            phases.append((phase_end + 1, last))
        return {
            "kind": Program.Kind.COORDINATION,
            "start_year": first,
            "end_year": last,
            "number": f"{number}{MARK}",
            "phases": phases,
        }

    def with_indicators(self, program: Program, weight: float) -> Program:
        """Five indicators whose phase targets are about what the program's activities will
        achieve (from 0.8 to 1.25 times the expectation), so some are met and some are not."""
        rng = self.rng
        areas = {area.number: area for area in program.task_areas.all()}
        phases = list(program.phases.order_by("number"))
        # Activities of one indicator in one year: the program's share of all activities, the
        # task area's share, and one in two activities of the area reporting on it.
        per_year = self.n_activities * weight / 36 / len(self.years)
        program.weight = weight
        program.generated_indicators = {}
        for code, name, unit, area, aggregation, values in INDICATORS:
            expected = per_year * AREA_WEIGHTS[area - 1] / 100 / 2 * sum(values) / 2
            targets = {}
            for phase in phases:
                years = len(phase.years) if aggregation == "sum" else 1
                low = max(1, round(expected * years * rng.uniform(0.8, 1.25)))
                targets[phase] = f"{low}–{round(low * 1.3)}" if aggregation == "max" else str(low)
            indicator = services.indicator_create(
                program=program,
                code=code,
                name=name,
                unit=unit,
                aggregation=aggregation,
                task_area=areas.get(area),
                targets=targets,
            )
            program.generated_indicators[area] = (indicator, values)
        return program

    def national_program(self) -> Program:
        central = Agency.objects.get(name="Ủy ban Dân tộc", province=None)
        vca = Agency.objects.get(name="Liên minh Hợp tác xã Việt Nam", province=None)
        program = services.program_create(
            title="Chương trình phối hợp công tác giữa Ủy ban Dân tộc và Liên minh HTX Việt Nam "
            "(dữ liệu quy mô lớn)",
            level="central",
            parties=[central, vca],
            signed_on=datetime.date(self.years[0], 1, 27),
            **self.program_fields("01/CTr-UBDT-LMHTX"),
        )
        current = Agency.objects.get(name="Bộ Dân tộc và Tôn giáo", province=None)
        program.leads = {"old": [(central, vca)], "new": [(current, vca)]}
        return self.with_indicators(program, 2.0)

    def province_program(self, unit: Province, national: Program) -> Program:
        a = self.agencies[unit.pk]
        host = a["host"]
        program = services.program_create(
            title=f"Chương trình phối hợp công tác giữa Ban Dân tộc và Liên minh HTX "
            f"{host['unit'].full_name} giai đoạn {self.years[0]}–2030",
            level="provincial",
            province=host["unit"],
            parties=[host["ethnic"], host["alliance"]],
            signed_on=datetime.date(self.years[0], 3, 15),
            national_program=national,
            **self.program_fields(f"{unit.code}/CTr-BDT-LMHTX"),
        )
        program.leads = {
            "old": [(o["ethnic"], o["alliance"]) for o in a["old"]],
            "new": [(a["new"]["ethnic"], a["new"]["alliance"])],
        }
        program.support = [a["new"]["farming"]]
        program.unit = unit
        return self.with_indicators(program, self.rng.uniform(0.5, 1.5))

    def plans(self, programs: list[Program]) -> list[YearlyPlan]:
        rng, last = self.rng, self.years[-1]
        batch = []
        for program in programs:
            for year in self.years:
                if year == last:
                    status = weighted(
                        rng, [(None, 10), ("draft", 10), ("submitted", 20), ("approved", 60)]
                    )
                else:
                    status = weighted(rng, [(None, 2), ("submitted", 3), ("approved", 95)])
                if status is None:
                    continue
                plan = YearlyPlan(
                    program=program,
                    year=year,
                    status=status,
                    document_number=f"{rng.randint(1, 250):02d}/KH-LN",
                    issued_on=datetime.date(year, rng.randint(1, 3), rng.randint(1, 28)),
                )
                plan.generated_program = program
                batch.append(plan)
        YearlyPlan.objects.bulk_create(batch, batch_size=BATCH)
        ids = {
            (p, y): pk
            for pk, p, y in YearlyPlan.objects.filter(
                program__in=[p.pk for p in programs]
            ).values_list("pk", "program_id", "year")
        }
        for plan in batch:
            plan.pk = ids[(plan.program_id, plan.year)]
        self.counts["plans"] = len(batch)
        return batch

    # --- activities and progress ------------------------------------------------------------
    def activities(self, plans: list[YearlyPlan], coops_by_unit) -> list[tuple]:
        rng = self.rng
        weights = [p.generated_program.weight for p in plans]
        areas = {}
        for plan in plans:
            program = plan.generated_program
            if program.pk not in areas:
                areas[program.pk] = {a.number: a.pk for a in program.task_areas.all()}
        all_coops = [pk for pks in coops_by_unit.values() for pk in pks]
        chosen = rng.choices(range(len(plans)), weights=weights, k=self.n_activities)
        batch, extras = [], []
        for index in sorted(chosen):
            plan = plans[index]
            program = plan.generated_program
            number = rng.choices(range(1, 6), weights=AREA_WEIGHTS)[0]
            if number not in areas[program.pk]:
                number = min(areas[program.pk])
            start = datetime.date(plan.year, rng.randint(1, 11), rng.randint(1, 28))
            end = min(
                start + datetime.timedelta(days=rng.randint(14, 200)),
                datetime.date(plan.year, 12, 31),
            )
            era = "old" if end < REORGANISATION_DATE else "new"
            ethnic, alliance = rng.choice(program.leads[era])
            lead, partner = (ethnic, alliance) if rng.random() < 0.6 else (alliance, ethnic)
            indicator, values = program.generated_indicators.get(number, (None, None))
            if indicator is not None and rng.random() < 0.5:
                indicator = None
            activity = Activity(
                plan_id=plan.pk,
                task_area_id=areas[program.pk][number],
                title=f"{rng.choice(TITLES[number])} năm {plan.year}",
                lead_agency=lead,
                start_date=start,
                end_date=end,
                planned_budget=rng.randint(2, 300) * 1_000_000,
                indicator=indicator,
                target_value=Decimal(rng.randint(*values) or 1) if indicator else None,
            )
            batch.append(activity)
            supporting = [partner] + (getattr(program, "support", []) if rng.random() < 0.3 else [])
            pool = (
                coops_by_unit.get(getattr(program, "unit", None) and program.unit.pk) or all_coops
            )
            linked = (
                rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
                if pool and number in (3, 4) and rng.random() < 0.6
                else []
            )
            extras.append((supporting, linked, values))
        created = []
        for offset in range(0, len(batch), BATCH):
            created.extend(Activity.objects.bulk_create(batch[offset : offset + BATCH]))
        if not all(a.pk for a in created):  # SQLite < 3.35 returns no ids
            raise CommandError("Cơ sở dữ liệu không trả về mã của các dòng vừa tạo.")
        Supporting = Activity.supporting_agencies.through
        Linked = Activity.cooperatives.through
        Supporting.objects.bulk_create(
            [
                Supporting(activity_id=a.pk, agency_id=ag.pk)
                for a, (sup, _l, _v) in zip(created, extras, strict=True)
                for ag in sup
            ],
            batch_size=BATCH,
        )
        Linked.objects.bulk_create(
            [
                Linked(activity_id=a.pk, cooperative_id=c)
                for a, (_s, linked, _v) in zip(created, extras, strict=True)
                for c in linked
            ],
            batch_size=BATCH,
        )
        self.counts["activities"] = len(created)
        return [(a, extra[2]) for a, extra in zip(created, extras, strict=True)]

    def updates(self, activities: list[tuple]) -> None:
        """Give each activity a history of updates; past years end mostly done, this year mixed
        (about one in six of this year's activities not reported yet). Updates are spread over
        the reported activities so that the total is close to `--updates`."""
        rng, last = self.rng, self.years[-1]
        finals = []
        for activity, values in activities:
            if activity.start_date > self.as_of:
                continue
            final = weighted(
                rng,
                [("done", 35), ("in_progress", 35), ("delayed", 12), (None, 15), ("cancelled", 3)]
                if activity.start_date.year == last
                else [
                    ("done", 75),
                    ("in_progress", 7),
                    ("delayed", 10),
                    (None, 3),
                    ("cancelled", 5),
                ],
            )
            if final is not None:
                finals.append((activity, values, final))
        per_activity = self.n_updates / max(len(finals), 1)
        batch, total = [], 0
        for activity, values, final in finals:
            count = max(1, round(rng.uniform(0.4, 1.6) * per_activity))
            first_day = activity.start_date
            last_day = min(activity.end_date + datetime.timedelta(days=20), self.as_of)
            span = max((last_day - first_day).days, count)
            days = sorted(rng.sample(range(1, span + 1), k=min(count, span)))
            spent = 0
            ceiling = activity.planned_budget * rng.uniform(0.6, 1.05)
            for step, offset in enumerate(days, start=1):
                is_last = step == len(days)
                status = final if is_last else "in_progress"
                percent = 100 if status == "done" else min(95, round(100 * step / (len(days) + 1)))
                spent = max(spent, int(ceiling * step / len(days)) // 1000 * 1000)
                actual = None
                if activity.indicator_id and values and (is_last or rng.random() < 0.3):
                    actual = Decimal(rng.randint(*values))
                batch.append(
                    ProgressUpdate(
                        activity_id=activity.pk,
                        reported_on=first_day + datetime.timedelta(days=offset),
                        status=status,
                        percent=percent,
                        actual_value=actual,
                        budget_spent=spent,
                    )
                )
            if len(batch) >= BATCH:
                ProgressUpdate.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        ProgressUpdate.objects.bulk_create(batch)
        self.counts["updates"] = total + len(batch)
        # bulk_create skips save(): flag each activity's latest update in one pass, planned on
        # statistics of the rows just written (PostgreSQL counts its own transaction's rows)
        # rather than on whatever autovacuum last saw: in a test database, whose tables other
        # tests fill and empty, this UPDATE once ran past the tests' two-minute statement
        # timeout (twice in one CI run, 01/12/2026).
        if connection.vendor == "postgresql":
            tables = (ProgressUpdate, Activity, YearlyPlan, Program)
            with connection.cursor() as cursor:
                quote = connection.ops.quote_name
                cursor.execute(
                    "ANALYZE " + ", ".join(quote(model._meta.db_table) for model in tables)
                )
        ProgressUpdate.objects.filter(activity__plan__program__number__endswith=MARK).mark_latest()
        # Nor does it recount the dashboards' summary: once for the generated plans.
        summary.recount_plans(
            YearlyPlan.objects.filter(program__number__endswith=MARK).values_list("pk", flat=True)
        )

    # --- the provinces' finalised reports ---------------------------------------------------
    def reports(self, programs: list[Program]) -> None:
        """Each provincial program's annual review of the report year, generated from the data
        like any report and then marked finalised by both parties (the sign-off itself is the
        workflow's business, not what the benchmarks measure); three finalised late."""
        year = self.report_year
        user = get_user_model().objects.get(username="tw.lanhdao")
        late = set(self.rng.sample(range(len(programs)), k=min(3, len(programs))))
        for index, program in enumerate(programs):
            report = report_generate(
                program=program, kind="annual", year=year, by=user, today=self.as_of
            )
            day = datetime.date(year, 12, 28 if index in late else 18)
            finalised_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.FINALISED, finalised_at=finalised_at
            )
            ReportSignatory.objects.filter(report=report).update(
                finalised_at=finalised_at, finalised_by=user
            )
            self.counts["reports"] += 1
