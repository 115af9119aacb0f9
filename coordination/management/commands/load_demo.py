"""Load the demo data described by the source articles. Idempotent: every row is found by its
natural key first, so a second run leaves the database exactly as the first one did."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_module, module_has_submodule

from agencies.models import Agency, Membership, Province
from cooperatives.models import Cooperative
from coordination import services
from coordination.models import Indicator, NtpProject, Program, YearlyPlan

DEMO_PASSWORD = "HopLuc@2026"
NEW = datetime.date(2025, 7, 1)

QUANG_NGAI_AREAS = [
    "Phối hợp trong công tác nghiên cứu, xây dựng và đề xuất chính sách",
    "Phối hợp trong công tác thông tin, tuyên truyền",
    "Phối hợp trong công tác đào tạo, bồi dưỡng",
    "Phối hợp triển khai các nội dung, nhiệm vụ, dự án, đề án của Chương trình MTQG phát triển "
    "KT-XH vùng đồng bào DTTS và MN: khởi nghiệp theo mô hình HTX, thu hút đầu tư, ứng dụng CNTT",
    "Phối hợp trong công tác kiểm tra, giám sát, sơ kết, tổng kết và thi đua khen thưởng",
]
AN_GIANG_TASKS = [
    "Tăng cường tuyên truyền, quán triệt, nâng cao nhận thức về kinh tế tập thể, HTX kiểu mới",
    "Rà soát, hoàn thiện pháp luật, cơ chế, chính sách về phát triển kinh tế tập thể, HTX",
    "Củng cố tổ chức bộ máy, nâng cao hiệu lực quản lý nhà nước về kinh tế tập thể, HTX",
    "Tăng cường năng lực quản trị, đổi mới phương thức sản xuất, kinh doanh của HTX",
    "Củng cố, đổi mới tổ chức và hoạt động của Liên minh HTX tỉnh",
    "Phát huy vai trò của Hội Nông dân tỉnh và các hội quần chúng",
    "Đẩy mạnh thông tin, tuyên truyền, quảng bá sản phẩm và ứng dụng công nghệ thông tin",
]
NATIONAL_AREAS = [
    "Phối hợp nghiên cứu, xây dựng và đề xuất Chính phủ xây dựng chính sách phát triển KT-XH "
    "vùng DTTS và miền núi",
    "Phối hợp thông tin tuyên truyền, vận động bà con vùng DTTS và miền núi phát triển kinh tế tập thể",
    "Phối hợp đào tạo, bồi dưỡng cán bộ, thành viên HTX và người lao động vùng DTTS và miền núi",
    "Phối hợp triển khai các nội dung, nhiệm vụ, dự án, đề án của Chương trình 120 thuộc nhiệm vụ "
    "của Ủy ban Dân tộc",
]


def load_app_demos(**loaded) -> None:
    """Let apps above coordination add their own demo rows (reporting adds commendations)
    without coordination importing them: each app's `demo.load(**loaded)`, if it has one."""
    for config in apps.get_app_configs():
        if config.name != "coordination" and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo").load(**loaded)


def province(code: str, *, current: bool) -> Province:
    units = Province.objects.filter(code=code)
    return units.get(valid_to__isnull=True) if current else units.get(valid_to__isnull=False)


def agency(
    name: str, short: str, kind: str, unit: Province, *, successor: Agency | None = None
) -> Agency:
    obj, _ = Agency.objects.update_or_create(
        name=name,
        province=unit,
        defaults={
            "short_name": short,
            "kind": kind,
            "level": "provincial",
            "active": successor is None,
            "successor": successor,
        },
    )
    return obj


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại nhiều lần cho cùng một kết quả)."

    @transaction.atomic
    def handle(self, *args, **options):
        agencies = self.load_agencies()
        coops = self.load_cooperatives()
        users = self.load_users(agencies)
        self.load_national(agencies)
        self.load_kien_giang(agencies, users, coops)
        self.load_quang_ngai(agencies, users)
        self.load_binh_phuoc(agencies, users, coops)
        self.load_an_giang(agencies)
        self.load_dong_nai(agencies, users, coops)
        load_app_demos(agencies=agencies, users=users, cooperatives=coops)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu. Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):"
            )
        )
        for username, description in users["_logins"]:
            self.stdout.write(f"  {username:<22} {description}")

    # --- agencies and users -------------------------------------------------------------
    def load_agencies(self) -> dict[str, Agency]:
        a: dict[str, Agency] = {
            "ubdt": Agency.objects.get(name="Ủy ban Dân tộc", province=None),
            "bdttg": Agency.objects.get(name="Bộ Dân tộc và Tôn giáo", province=None),
            "vca": Agency.objects.get(name="Liên minh Hợp tác xã Việt Nam", province=None),
        }
        ethnic, alliance, committee, dept = (
            "ethnic_affairs",
            "coop_alliance",
            "peoples_committee",
            "department",
        )
        # Today's agencies of the merged provinces first, so the old ones can point at them.
        for key, code in [
            ("angiang", "91"),
            ("dongnai", "75"),
            ("quangngai", "51"),
            ("tuyenquang", "08"),
        ]:
            unit = province(code, current=True)
            a[f"sdt_{key}"] = agency(
                f"Sở Dân tộc và Tôn giáo tỉnh {unit.name}", "SDTTG", ethnic, unit
            )
            a[f"lm_{key}"] = agency(
                f"Liên minh Hợp tác xã tỉnh {unit.name}", "LMHTX", alliance, unit
            )
            a[f"ubnd_{key}"] = agency(f"Ủy ban nhân dân tỉnh {unit.name}", "UBND", committee, unit)
        old = {
            "kiengiang": "91",
            "angiang_old": "89",
            "binhphuoc": "70",
            "quangngai_old": "51",
            "hagiang": "02",
        }
        successor_key = {
            "kiengiang": "angiang",
            "angiang_old": "angiang",
            "binhphuoc": "dongnai",
            "quangngai_old": "quangngai",
            "hagiang": "tuyenquang",
        }
        for key, code in old.items():
            unit = province(code, current=False)
            heir = successor_key[key]
            a[f"bdt_{key}"] = agency(
                f"Ban Dân tộc tỉnh {unit.name}", "BDT", ethnic, unit, successor=a[f"sdt_{heir}"]
            )
            a[f"lm_{key}"] = agency(
                f"Liên minh Hợp tác xã tỉnh {unit.name}",
                "LMHTX",
                alliance,
                unit,
                successor=a[f"lm_{heir}"],
            )
            a[f"ubnd_{key}"] = agency(
                f"Ủy ban nhân dân tỉnh {unit.name}",
                "UBND",
                committee,
                unit,
                successor=a[f"ubnd_{heir}"],
            )
        bp = province("70", current=False)
        a["snn_binhphuoc"] = agency(
            "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bình Phước",
            "SNN",
            dept,
            bp,
            successor=agency(
                "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai",
                "SNNMT",
                dept,
                province("75", current=True),
            ),
        )
        a["sct_binhphuoc"] = agency(
            "Sở Công Thương tỉnh Bình Phước",
            "SCT",
            dept,
            bp,
            successor=agency(
                "Sở Công Thương tỉnh Đồng Nai", "SCT", dept, province("75", current=True)
            ),
        )
        return a

    def load_users(self, a: dict[str, Agency]) -> dict:
        User = get_user_model()
        specs = [
            (
                "canbo",
                "Nguyễn Thị Lan",
                [(a["sdt_dongnai"], "staff")],
                False,
                "cán bộ, Sở Dân tộc và Tôn giáo tỉnh Đồng Nai (kế thừa Ban Dân tộc Bình Phước)",
            ),
            (
                "canbo.lmhtx",
                "Trần Văn Hùng",
                [(a["lm_dongnai"], "staff")],
                False,
                "cán bộ, Liên minh HTX tỉnh Đồng Nai",
            ),
            (
                "lanhdao",
                "Lê Văn Minh",
                [(a["sdt_dongnai"], "manager")],
                False,
                "lãnh đạo, Sở Dân tộc và Tôn giáo tỉnh Đồng Nai",
            ),
            (
                "lanhdao.lmhtx",
                "Phạm Thị Hoa",
                [(a["lm_dongnai"], "manager")],
                False,
                "lãnh đạo, Liên minh HTX tỉnh Đồng Nai",
            ),
            (
                "canbo.angiang",
                "Danh Sơn",
                [(a["sdt_angiang"], "staff")],
                False,
                "cán bộ, Sở Dân tộc và Tôn giáo tỉnh An Giang (kế thừa Ban Dân tộc Kiên Giang)",
            ),
            (
                "canbo.quangngai",
                "Đinh Văn Mẫn",
                [(a["sdt_quangngai"], "staff")],
                False,
                "cán bộ, Sở Dân tộc và Tôn giáo tỉnh Quảng Ngãi",
            ),
            (
                "trunguong",
                "Hoàng Văn Chiến",
                [(a["bdttg"], "manager")],
                False,
                "lãnh đạo trung ương, Bộ Dân tộc và Tôn giáo (xem toàn quốc)",
            ),
            ("quantri", "Quản trị hệ thống", [(a["bdttg"], "admin")], True, "quản trị hệ thống"),
        ]
        users: dict = {"_logins": []}
        for username, full_name, memberships, is_admin, description in specs:
            first, _, last = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = last, first
            user.is_staff = user.is_superuser = is_admin
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.save()
            for agency_, role in memberships:
                Membership.objects.update_or_create(
                    user=user, agency=agency_, defaults={"role": role}
                )
            users[username] = user
            users["_logins"].append((username, description))
        return users

    # --- cooperatives -------------------------------------------------------------------
    def load_cooperatives(self) -> dict[str, Cooperative]:
        specs = {
            "bugiamap": dict(
                registration_code="3800987654",
                name="HTX Nông nghiệp Bù Gia Mập",
                province=province("75", current=True),
                province_as_written="Bình Phước",
                district="Bù Gia Mập",
                commune="Phú Nghĩa",
                sector="Nông nghiệp — điều",
                members=52,
                ethnic_minority_members=31,
                established_on=datetime.date(2017, 6, 12),
                representative="Điểu Thị Nhung",
                vietgap=True,
                in_ethnic_minority_area=True,
                charter_capital=1_250_000_000,
                rating="fair",
                ocop_stars=3,
                ocop_products="Hạt điều rang muối",
            ),
            "huucodongnai": dict(
                registration_code="3801122334",
                name="HTX Nông nghiệp hữu cơ Đồng Nai",
                province=province("75", current=True),
                province_as_written="Bình Phước",
                district="Bù Đăng",
                commune="Đồng Nai",
                sector="Nông nghiệp — điều hữu cơ",
                members=28,
                ethnic_minority_members=19,
                established_on=datetime.date(2019, 3, 12),
                representative="Thị Hạnh",
                organic=True,
                in_ethnic_minority_area=True,
                charter_capital=800_000_000,
                rating="average",
            ),
            "muongchang": dict(
                registration_code="5100234567",
                name="HTX Dệt thổ cẩm Mường Chang",
                province=province("08", current=True),
                province_as_written="Hà Giang",
                district="Quang Bình",
                commune="Xuân Giang",
                address="Thôn Chang, xã Xuân Giang",
                sector="Dệt thổ cẩm",
                members=24,
                ethnic_minority_members=24,
                established_on=datetime.date(2016, 9, 5),
                representative="Hoàng Thị Chang",
                in_ethnic_minority_area=True,
                ecommerce=True,
                rating="good",
                ocop_stars=4,
                ocop_products="Khăn, túi thổ cẩm Tày",
            ),
            "honda": dict(
                registration_code="1700345678",
                name="HTX Nông nghiệp Hòn Đất",
                province=province("91", current=True),
                province_as_written="Kiên Giang",
                district="Hòn Đất",
                commune="Thổ Sơn",
                sector="Nông nghiệp — lúa gạo",
                members=120,
                ethnic_minority_members=46,
                established_on=datetime.date(2022, 4, 20),
                in_ethnic_minority_area=True,
                high_tech=True,
                digital_transformation=True,
                rating="fair",
            ),
            "kontum": dict(
                registration_code="6100456789",
                name="HTX Sâm Ngọc Linh Tu Mơ Rông",
                province=province("51", current=True),
                province_as_written="Kon Tum",
                district="Tu Mơ Rông",
                commune="Măng Ri",
                sector="Dược liệu",
                members=35,
                ethnic_minority_members=33,
                established_on=datetime.date(2018, 11, 2),
                in_ethnic_minority_area=True,
                ocop_stars=5,
                ocop_products="Sâm Ngọc Linh",
                rating="good",
            ),
        }
        coops = {}
        for key, fields in specs.items():
            code = fields.pop("registration_code")
            coop = Cooperative.objects.filter(registration_code=code).first() or Cooperative(
                registration_code=code
            )
            for name, value in fields.items():
                setattr(coop, name, value)
            coop.full_clean()
            coop.save()
            coops[key] = coop
        return coops

    # --- programs -----------------------------------------------------------------------
    def program(self, title: str, **fields) -> tuple[Program, bool]:
        existing = Program.objects.filter(title=title).first()
        if existing:
            return existing, False
        return services.program_create(title=title, **fields), True

    def plan(self, program: Program, year: int, status: str, **fields) -> tuple[YearlyPlan, bool]:
        existing = YearlyPlan.objects.filter(program=program, year=year).first()
        if existing:
            return existing, False
        plan = services.plan_create(program=program, year=year, **fields)
        plan.status = status
        plan.save(update_fields=["status"])
        return plan, True

    def activities(self, plan: YearlyPlan, rows: list[dict], author) -> None:
        areas = {area.number: area for area in plan.program.task_areas.all()}
        for row in rows:
            updates = row.pop("updates", [])
            row["task_area"] = areas[row.pop("area")]
            activity = services.activity_create(plan=plan, **row)
            for reported_on, status, percent, actual, spent, note in updates:
                services.progress_record(
                    activity=activity,
                    reported_on=reported_on,
                    status=status,
                    percent=percent,
                    actual_value=actual,
                    budget_spent=spent,
                    note=note,
                    author=author,
                )

    def load_national(self, a):
        program, created = self.program(
            "Chương trình phối hợp công tác giữa Ủy ban Dân tộc và Liên minh Hợp tác xã Việt Nam giai đoạn 2021–2030",
            kind="coordination",
            level="central",
            parties=[a["ubdt"], a["vca"]],
            start_year=2021,
            end_year=2030,
            signed_on=datetime.date(2021, 1, 27),
            legal_basis="Nghị quyết số 120/2020/QH14 ngày 19/6/2020 của Quốc hội; "
            "Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ",
            task_areas=NATIONAL_AREAS,
            phases=[(2021, 2025), (2026, 2030)],
        )
        if created:
            phase1 = program.phases.get(number=1)
            area4 = program.task_areas.get(number=4)
            services.indicator_create(
                program=program,
                code="CT1",
                name="HTX thành lập mới vùng DTTS và MN",
                unit="HTX",
                task_area=area4,
                targets={phase1: "≥ 1"},
            )
            services.indicator_create(
                program=program,
                code="CT2",
                name="HTX ứng dụng công nghệ cao, sản xuất gắn với chuỗi giá trị",
                unit="HTX",
                task_area=area4,
                targets={phase1: "2–3"},
            )

    def load_kien_giang(self, a, users, coops):
        program, created = self.program(
            "Chương trình phối hợp công tác giữa Ban Dân tộc và Liên minh Hợp tác xã tỉnh Kiên Giang giai đoạn 2021–2030",
            kind="coordination",
            level="provincial",
            province=province("91", current=False),
            parties=[a["bdt_kiengiang"], a["lm_kiengiang"]],
            start_year=2021,
            end_year=2030,
            signed_on=datetime.date(2021, 3, 11),
            legal_basis="Chương trình phối hợp công tác giữa Ủy ban Dân tộc và Liên minh HTX Việt Nam giai đoạn 2021–2030",
            phases=[(2021, 2025), (2026, 2030)],
        )
        if not created:
            return
        phase1 = program.phases.get(number=1)
        areas = {area.number: area for area in program.task_areas.all()}
        targets = [
            (
                "CT1",
                "Tư vấn, vận động thành lập mới HTX vùng DTTS và miền núi",
                "HTX",
                4,
                "sum",
                "≥ 01",
            ),
            (
                "CT2",
                "HTX ứng dụng công nghệ cao, sản xuất gắn với chuỗi giá trị",
                "HTX",
                4,
                "sum",
                "2–3",
            ),
            (
                "CT3",
                "Trung tâm thương mại và hỗ trợ HTX tại vùng chuyên canh",
                "trung tâm",
                4,
                "sum",
                "≥ 1",
            ),
            (
                "CT4",
                "Hội nghị, hội thảo, giao lưu học tập kinh nghiệm về KTTT, HTX",
                "cuộc",
                2,
                "sum",
                "≥ 1",
            ),
            ("CT5", "Sàn giao dịch điện tử phục vụ tuyên truyền", "sàn", 2, "latest", "≥ 1"),
            ("CT6", "HTX vùng DTTS và MN thực hiện chuyển đổi số", "HTX", 4, "sum", "≥ 1"),
            ("CT7", "Đồng bào DTTS thiếu đất sản xuất được đào tạo nghề", "người", 3, "sum", "≥ 1"),
        ]
        indicators = {}
        for code, name, unit, area, aggregation, target in targets:
            indicators[code] = services.indicator_create(
                program=program,
                code=code,
                name=name,
                unit=unit,
                aggregation=aggregation,
                task_area=areas[area],
                targets={phase1: target},
            )
        lead, support = a["bdt_kiengiang"], [a["lm_kiengiang"]]
        author = users["canbo.angiang"]
        d = datetime.date
        for year, new_coops, status in [(2023, 1, "approved"), (2024, 2, "approved")]:
            plan, created_plan = self.plan(
                program,
                year,
                status,
                document_number=f"{10 + year % 100:02d}/KH-BDT-LMHTX",
                issued_on=d(year, 2, 15),
            )
            if not created_plan:
                continue
            self.activities(
                plan,
                [
                    dict(
                        area=2,
                        title=f"Hội nghị tuyên truyền phát triển KTTT, HTX vùng DTTS năm {year}",
                        lead_agency=lead,
                        supporting_agencies=support,
                        start_date=d(year, 4, 1),
                        end_date=d(year, 4, 30),
                        planned_budget=45_000_000,
                        indicator=indicators["CT4"],
                        target_value=Decimal(1),
                        updates=[
                            (
                                d(year, 5, 5),
                                "done",
                                100,
                                Decimal(1),
                                42_500_000,
                                "Tổ chức tại Hòn Đất",
                            )
                        ],
                    ),
                    dict(
                        area=4,
                        title=f"Vận động thành lập mới HTX vùng đồng bào Khmer năm {year}",
                        lead_agency=a["lm_kiengiang"],
                        supporting_agencies=[lead],
                        start_date=d(year, 3, 1),
                        end_date=d(year, 11, 30),
                        planned_budget=60_000_000,
                        indicator=indicators["CT1"],
                        target_value=Decimal(new_coops),
                        cooperatives=[coops["honda"]] if year == 2023 else [],
                        updates=[
                            (d(year, 6, 30), "in_progress", 50, None, 20_000_000, ""),
                            (d(year, 12, 10), "done", 100, Decimal(new_coops), 55_000_000, ""),
                        ],
                    ),
                    dict(
                        area=3,
                        title=f"Đào tạo nghề cho đồng bào DTTS thiếu đất sản xuất năm {year}",
                        lead_agency=lead,
                        supporting_agencies=support,
                        start_date=d(year, 6, 1),
                        end_date=d(year, 9, 30),
                        planned_budget=120_000_000,
                        indicator=indicators["CT7"],
                        target_value=Decimal(40),
                        updates=[
                            (
                                d(year, 10, 5),
                                "done" if year == 2023 else "delayed",
                                100 if year == 2023 else 60,
                                Decimal(40 if year == 2023 else 25),
                                110_000_000 if year == 2023 else 70_000_000,
                                "" if year == 2023 else "Chậm do thiếu kinh phí đối ứng",
                            )
                        ],
                    ),
                ],
                author,
            )

    def load_quang_ngai(self, a, users):
        program, created = self.program(
            "Chương trình phối hợp công tác giữa Ban Dân tộc và Liên minh Hợp tác xã tỉnh Quảng Ngãi giai đoạn 2022–2030",
            kind="coordination",
            level="provincial",
            province=province("51", current=False),
            parties=[a["bdt_quangngai_old"], a["lm_quangngai_old"]],
            start_year=2022,
            end_year=2030,
            signed_on=datetime.date(2022, 8, 17),
            legal_basis="Nghị quyết số 88/2019/QH14 ngày 18/11/2019; Nghị quyết số 120/2020/QH14 ngày 19/6/2020",
            task_areas=QUANG_NGAI_AREAS,
            phases=[(2022, 2025), (2026, 2030)],
        )
        if created:
            services.indicator_create(
                program=program,
                code="CT1",
                name="HTX thành lập mới vùng DTTS và MN",
                unit="HTX",
                task_area=program.task_areas.get(number=4),
                targets={program.phases.get(number=1): "≥ 1"},
            )
        plan, created_plan = self.plan(
            program,
            2025,
            "approved",
            document_number="25/KH-BDT-LMHTX",
            issued_on=datetime.date(2025, 2, 20),
        )
        if created_plan:
            d = datetime.date
            lead = a["bdt_quangngai_old"]
            self.activities(
                plan,
                [
                    dict(
                        area=2,
                        title="Tuyên truyền, vận động thành lập HTX tại các huyện miền núi",
                        lead_agency=lead,
                        supporting_agencies=[a["lm_quangngai_old"]],
                        start_date=d(2025, 3, 1),
                        end_date=d(2025, 6, 30),
                        planned_budget=30_000_000,
                        updates=[(d(2025, 7, 2), "done", 100, None, 28_000_000, "")],
                    ),
                    dict(
                        area=3,
                        title="Tập huấn khởi nghiệp theo mô hình HTX cho thanh niên DTTS",
                        lead_agency=a["lm_quangngai_old"],
                        supporting_agencies=[lead],
                        start_date=d(2025, 5, 1),
                        end_date=d(2025, 10, 31),
                        planned_budget=80_000_000,
                    ),
                ],
                users["canbo.quangngai"],
            )

    def load_binh_phuoc(self, a, users, coops):
        program, created = self.program(
            "Đề án phát triển kinh tế hợp tác, hợp tác xã trong vùng đồng bào dân tộc thiểu số tỉnh Bình Phước giai đoạn 2022–2025",
            kind="scheme",
            level="provincial",
            province=province("70", current=False),
            number="2993/QĐ-UBND",
            signed_on=datetime.date(2021, 11, 24),
            parties=[a["bdt_binhphuoc"], a["lm_binhphuoc"]],
            start_year=2022,
            end_year=2025,
            legal_basis="Quyết định số 2993/QĐ-UBND ngày 24/11/2021 của UBND tỉnh Bình Phước",
            phases=[(2022, 2025)],
        )
        indicators = {}
        if created:
            phase1 = program.phases.get(number=1)
            areas = {area.number: area for area in program.task_areas.all()}
            indicators["DT"] = services.indicator_create(
                program=program,
                code="CT1",
                name="Tỷ lệ cán bộ quản lý, điều hành HTX được đào tạo, bồi dưỡng",
                unit="%",
                aggregation="latest",
                task_area=areas[3],
                targets={phase1: "100"},
            )
            indicators["OCOP"] = services.indicator_create(
                program=program,
                code="CT2",
                name="Sản phẩm của HTX được chứng nhận OCOP",
                unit="sản phẩm",
                task_area=areas[4],
                targets={phase1: "2"},
            )
            indicators["XTTM"] = services.indicator_create(
                program=program,
                code="CT3",
                name="HTX tham gia chương trình xúc tiến thương mại",
                unit="HTX",
                aggregation="max",
                task_area=areas[4],
                targets={phase1: "2"},
            )
        else:
            indicators = {i.code: i for i in Indicator.objects.filter(program=program)}
            indicators = {
                "DT": indicators.get("CT1"),
                "OCOP": indicators.get("CT2"),
                "XTTM": indicators.get("CT3"),
            }
        plan, created_plan = self.plan(
            program,
            2024,
            "approved",
            document_number="116/KH-UBND",
            issued_on=datetime.date(2024, 3, 29),
        )
        if not created_plan:
            return
        d = datetime.date
        bdt, lm, snn, sct = (
            a["bdt_binhphuoc"],
            a["lm_binhphuoc"],
            a["snn_binhphuoc"],
            a["sct_binhphuoc"],
        )
        both = [coops["bugiamap"], coops["huucodongnai"]]
        self.activities(
            plan,
            [
                dict(
                    area=2,
                    title="Tuyên truyền, vận động thành lập HTX tại các xã huyện Bù Đăng và Bù Gia Mập",
                    lead_agency=bdt,
                    supporting_agencies=[lm],
                    start_date=d(2024, 4, 1),
                    end_date=d(2024, 8, 31),
                    planned_budget=35_000_000,
                    updates=[
                        (
                            d(2024, 9, 5),
                            "done",
                            100,
                            None,
                            33_500_000,
                            "Tổ chức 04 lớp tuyên truyền",
                        )
                    ],
                ),
                dict(
                    area=3,
                    title="Đào tạo, bồi dưỡng 100% cán bộ quản lý, điều hành của 02 HTX",
                    lead_agency=lm,
                    supporting_agencies=[bdt],
                    start_date=d(2024, 5, 1),
                    end_date=d(2024, 10, 31),
                    planned_budget=90_000_000,
                    indicator=indicators["DT"],
                    target_value=Decimal(100),
                    cooperatives=both,
                    updates=[
                        (d(2024, 7, 15), "in_progress", 60, Decimal(60), 50_000_000, ""),
                        (d(2024, 11, 5), "done", 100, Decimal(100), 86_000_000, ""),
                    ],
                ),
                dict(
                    area=3,
                    title="Tổ chức đoàn tham quan, học tập kinh nghiệm mô hình liên kết sản xuất",
                    lead_agency=lm,
                    supporting_agencies=[bdt],
                    start_date=d(2024, 9, 1),
                    end_date=d(2024, 9, 30),
                    planned_budget=70_000_000,
                    cooperatives=both,
                    updates=[(d(2024, 10, 2), "done", 100, None, 68_000_000, "")],
                ),
                dict(
                    area=4,
                    title="Hỗ trợ phát triển chuỗi liên kết sản xuất điều bền vững",
                    lead_agency=snn,
                    supporting_agencies=[lm, bdt],
                    start_date=d(2024, 3, 1),
                    end_date=d(2024, 12, 31),
                    planned_budget=250_000_000,
                    cooperatives=both,
                    updates=[
                        (
                            d(2024, 12, 20),
                            "in_progress",
                            70,
                            None,
                            160_000_000,
                            "Đang hoàn thiện hợp đồng liên kết",
                        )
                    ],
                ),
                dict(
                    area=4,
                    title="Củng cố vùng nguyên liệu điều đạt tiêu chuẩn VietGAP, hữu cơ",
                    lead_agency=snn,
                    supporting_agencies=[lm],
                    start_date=d(2024, 3, 1),
                    end_date=d(2024, 12, 31),
                    planned_budget=180_000_000,
                    cooperatives=both,
                    updates=[(d(2024, 12, 15), "done", 100, None, 175_000_000, "")],
                ),
                dict(
                    area=4,
                    title="Hỗ trợ sản phẩm của 02 HTX được chứng nhận OCOP",
                    lead_agency=lm,
                    supporting_agencies=[snn],
                    start_date=d(2024, 4, 1),
                    end_date=d(2024, 11, 30),
                    planned_budget=60_000_000,
                    indicator=indicators["OCOP"],
                    target_value=Decimal(2),
                    cooperatives=both,
                    updates=[
                        (
                            d(2024, 12, 1),
                            "delayed",
                            50,
                            Decimal(1),
                            30_000_000,
                            "Một sản phẩm đạt 3 sao, sản phẩm còn lại chưa đủ hồ sơ",
                        )
                    ],
                ),
                dict(
                    area=4,
                    title="Hỗ trợ 02 HTX tham gia chương trình xúc tiến thương mại trong và ngoài tỉnh",
                    lead_agency=sct,
                    supporting_agencies=[lm],
                    start_date=d(2024, 6, 1),
                    end_date=d(2024, 11, 30),
                    planned_budget=50_000_000,
                    indicator=indicators["XTTM"],
                    target_value=Decimal(2),
                    cooperatives=both,
                    updates=[(d(2024, 11, 25), "done", 100, Decimal(2), 48_000_000, "")],
                ),
                dict(
                    area=4,
                    title="Hỗ trợ HTX chuyển đổi số, tham gia dự án \u201cChợ sản phẩm trực tuyến vùng đồng bào DTTS và MN\u201d",
                    lead_agency=lm,
                    supporting_agencies=[bdt],
                    start_date=d(2024, 5, 1),
                    end_date=d(2024, 12, 31),
                    planned_budget=40_000_000,
                    cooperatives=both,
                ),
                dict(
                    area=4,
                    title="Hướng dẫn HTX tiếp cận vốn vay ưu đãi xây dựng vùng nguyên liệu, sơ chế điều",
                    lead_agency=lm,
                    supporting_agencies=[bdt],
                    start_date=d(2024, 4, 1),
                    end_date=d(2024, 12, 31),
                    planned_budget=0,
                    cooperatives=both,
                    updates=[(d(2024, 8, 1), "in_progress", 40, None, 0, "")],
                ),
                dict(
                    area=5,
                    title="Sơ kết thực hiện Đề án năm 2024",
                    lead_agency=bdt,
                    supporting_agencies=[lm],
                    start_date=d(2024, 12, 1),
                    end_date=d(2024, 12, 31),
                    planned_budget=15_000_000,
                ),
            ],
            users["canbo"],
        )

    def load_an_giang(self, a):
        self.program(
            "Kế hoạch thực hiện Kết luận số 70-KL/TW của Bộ Chính trị về tiếp tục đổi mới, phát triển và "
            "nâng cao hiệu quả kinh tế tập thể trên địa bàn tỉnh An Giang",
            kind="plan",
            level="provincial",
            province=province("89", current=False),
            number="1206/QĐ-UBND",
            signed_on=datetime.date(2020, 5, 28),
            parties=[a["ubnd_angiang_old"], a["lm_angiang_old"]],
            start_year=2020,
            end_year=2030,
            legal_basis="Kết luận số 70-KL/TW ngày 09/3/2020 của Bộ Chính trị; Chỉ thị số 12/CT-TTg ngày 12/5/2018",
            task_areas=AN_GIANG_TASKS,
        )

    def load_dong_nai(self, a, users, coops):
        """A program of today's Đồng Nai agencies whose 2025 plan went through the approval of
        both parties: `canbo` can start the 2026 plan as a copy of it (README, "Try the yearly
        plan")."""
        program, _created = self.program(
            "Chương trình phối hợp công tác giữa Sở Dân tộc và Tôn giáo và Liên minh Hợp tác xã "
            "tỉnh Đồng Nai giai đoạn 2025–2030",
            kind="coordination",
            level="provincial",
            province=province("75", current=True),
            number="01/CTr-SDTTG-LMHTX",
            signed_on=datetime.date(2025, 8, 15),
            parties=[a["sdt_dongnai"], a["lm_dongnai"]],
            start_year=2025,
            end_year=2030,
            legal_basis="Chương trình phối hợp công tác giữa Ủy ban Dân tộc và Liên minh HTX "
            "Việt Nam giai đoạn 2021–2030; Đề án 2993/QĐ-UBND của UBND tỉnh Bình Phước",
            phases=[(2026, 2030)],
        )
        plan, created_plan = self.plan(program, 2025, "draft", document_number="45/KH-SDTTG-LMHTX")
        if not created_plan:
            return
        d = datetime.date
        sdt, lm = a["sdt_dongnai"], a["lm_dongnai"]
        projects = {p.number: p for p in NtpProject.objects.all()}
        both = [coops["bugiamap"], coops["huucodongnai"]]
        self.activities(
            plan,
            [
                dict(
                    area=2,
                    title="Tuyên truyền về HTX kiểu mới tại các xã vùng đồng bào DTTS sau sắp xếp",
                    lead_agency=sdt,
                    supporting_agencies=[lm],
                    start_date=d(2025, 9, 1),
                    end_date=d(2025, 10, 31),
                    planned_budget=30_000_000,
                    budget_source="local",
                    ntp_projects=[projects[10]],
                    updates=[(d(2025, 11, 3), "done", 100, None, 28_500_000, "")],
                ),
                dict(
                    area=3,
                    title="Bồi dưỡng kiến thức quản trị cho giám đốc HTX vùng đồng bào DTTS",
                    lead_agency=lm,
                    supporting_agencies=[sdt],
                    start_date=d(2025, 10, 1),
                    end_date=d(2025, 11, 30),
                    planned_budget=60_000_000,
                    budget_source="central",
                    ntp_projects=[projects[5]],
                    cooperatives=both,
                    updates=[(d(2025, 12, 5), "done", 100, None, 57_000_000, "")],
                ),
                dict(
                    area=4,
                    title="Hỗ trợ liên kết chuỗi giá trị hạt điều cho HTX vùng đồng bào DTTS",
                    lead_agency=lm,
                    supporting_agencies=[sdt, a["snn_binhphuoc"].successor],
                    start_date=d(2025, 9, 15),
                    end_date=d(2025, 12, 31),
                    planned_budget=150_000_000,
                    budget_source="integrated",
                    ntp_projects=[projects[3]],
                    cooperatives=both,
                    updates=[
                        (d(2025, 12, 20), "in_progress", 80, None, 110_000_000, "Còn 01 hợp đồng")
                    ],
                ),
                dict(
                    area=5,
                    title="Sơ kết năm 2025 thực hiện Chương trình phối hợp",
                    lead_agency=sdt,
                    supporting_agencies=[lm],
                    start_date=d(2025, 12, 1),
                    end_date=d(2025, 12, 31),
                    planned_budget=10_000_000,
                    budget_source="local",
                    updates=[(d(2025, 12, 29), "done", 100, None, 9_000_000, "")],
                ),
            ],
            users["canbo"],
        )
        services.plan_submit(plan=plan, by=users["canbo"])
        services.plan_approve(plan=plan, by=users["lanhdao"])
        services.plan_approve(plan=plan, by=users["lanhdao.lmhtx"])
