"""Writes on reports and commendations: each validates, runs in one transaction and returns the
saved object. `report_generate` is a plain function of plain arguments so it can also run as a
background job."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import access_for
from agencies.models import Agency
from coordination.models import Phase, Program
from core.people import display_name
from core.text import clean_paragraphs, search_key
from reporting.models import NARRATIVE_FIELDS, Commendation, Report, ReportSignatory

from . import notices
from .narrative import suggest
from .permissions import report_signoff
from .snapshot import PHASE, YEARLY, build_report_data

# The report is a Vietnamese administrative document whatever language the author reads.
DOCUMENT_LANGUAGE = "vi"
HEADER_FIELDS = ("doc_number", "doc_symbol", "place", "issued_on", "recipients")
SIGNATORY_FIELDS = ("parent_name", "issuer_name", "position", "signer_name")
# The snapshot is made by the builder from JSON types only; validating it would encode the
# whole of it (megabytes for a national phase) once more for nothing.
SNAPSHOT = ["data"]
FROZEN = gettext_lazy(
    "Báo cáo đã hoàn thành, không sửa được nữa. Hãy lập phiên bản mới từ số liệu mới."
)


@transaction.atomic
def report_generate(
    *,
    program: Program,
    kind: str,
    by,
    year: int | None = None,
    phase: Phase | None = None,
    today: datetime.date | None = None,
) -> Report:
    """Start a new version of the sơ kết of `program` for `year` or the tổng kết of its `phase`,
    from today's data. The first version's narrative is prefilled from the facts in the data;
    a later version carries on the previous version's header, narrative and signatories.
    Refused while the period has a draft (refresh that draft instead)."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    if kind in YEARLY:
        phase = None
    elif kind == PHASE:
        year = None
    else:
        raise ValidationError(_("Loại báo cáo không hợp lệ."))
    report = Report(program=program, kind=kind, year=year, phase=phase)
    report.clean()
    previous = report.same_period().first()
    if previous and previous.is_draft:
        raise ValidationError(
            _(
                "Kỳ báo cáo này đang có bản dự thảo (phiên bản %(version)s): hãy cập nhật số liệu "
                "của bản đó hoặc hoàn thành nó trước khi lập phiên bản mới."
            )
            % {"version": previous.version}
        )
    today = today or timezone.localdate()
    with translation.override(DOCUMENT_LANGUAGE):
        data = build_report_data(program=program, kind=kind, year=year, phase=phase, today=today)
        report.version = previous.version + 1 if previous else 1
        report.data = data
        report.generated_at = timezone.now()
        report.generated_by = by
        if previous:
            for name in HEADER_FIELDS:
                setattr(report, name, getattr(previous, name))
            report.issued_on = today
        else:
            _default_header(report, data, today)
            report.place = place_on(program, today) or report.place
        narrative = previous.narrative() if previous else suggest(data)
        for name, text in narrative.items():
            setattr(report, name, text)
        report.full_clean(exclude=SNAPSHOT)
        report.save()
        _add_signatories(report, data, previous)
    notices.report_ready(report)
    return report


@transaction.atomic
def report_refresh(*, report: Report, by, today: datetime.date | None = None) -> Report:
    """Recompute a draft's figures from today's data. Finalisations given so far no longer
    count: the managers finalise what they have seen."""
    report = _lock_draft(report)
    today = today or timezone.localdate()
    with translation.override(DOCUMENT_LANGUAGE):
        report.data = build_report_data(
            program=report.program,
            kind=report.kind,
            year=report.year,
            phase=report.phase,
            today=today,
        )
    report.generated_at = timezone.now()
    report.generated_by = by
    report.save()
    _reset_finalisations(report)
    return report


@transaction.atomic
def report_update_section(*, report: Report, section: str, text: str, by) -> Report:
    """Replace one narrative section of a draft (finalisations so far no longer count)."""
    if section not in NARRATIVE_FIELDS:
        raise ValidationError(_("Mục không hợp lệ."))
    report = _lock_draft(report)
    setattr(report, section, clean_paragraphs(text))
    report.full_clean(exclude=SNAPSHOT)
    report.save()
    _reset_finalisations(report)
    return report


@transaction.atomic
def report_update_header(
    *, report: Report, by, signatories: dict[int, dict] | None = None, **fields
) -> Report:
    """Change a draft's number and symbol, place, date, recipients and, per signatory id, its
    header and signature lines (`parent_name`, `issuer_name`, `position`, `signer_name`)."""
    report = _lock_draft(report)
    before, place = report.issued_on, report.place
    for name, value in fields.items():
        if name not in HEADER_FIELDS:
            raise ValidationError(_("Trường không hợp lệ: %(name)s") % {"name": name})
        setattr(report, name, value)
    # A new date brings the units as they were on it: the place and the header lines still as
    # generated for the old date follow it; what the staff wrote themselves stays.
    moved = bool(before and report.issued_on and report.issued_on != before)
    if moved and report.place == place and place == place_on(report.program, before):
        report.place = place_on(report.program, report.issued_on) or place
    report.full_clean(exclude=SNAPSHOT)
    report.save()
    for signatory in report.signatories.select_related("agency").all():
        changes = (signatories or {}).get(signatory.pk, {})
        for name in SIGNATORY_FIELDS:
            if name in changes:
                setattr(signatory, name, changes[name])
        if moved:
            _follow_date(signatory, before, report.issued_on)
        signatory.full_clean()
        signatory.save()
    _reset_finalisations(report)
    return report


@transaction.atomic
def report_finalise(*, report: Report, by) -> Report:
    """Record the finalisation of every party agency `by` manages (their agency or one it
    carries on) that has not finalised yet; once every party agency has, the report is
    finalised and its figures and text are frozen."""
    report = _lock_draft(report)
    now = timezone.now()

    def record(signatories: list[ReportSignatory]) -> None:
        for signatory in signatories:
            signatory.finalised_by = by
            signatory.finalised_at = now
            if not signatory.signer_name:
                signatory.signer_name = display_name(by)
            signatory.save()

    refusal = _("Chỉ lãnh đạo cơ quan tham gia chưa xác nhận mới xác nhận được báo cáo này.")
    signed = report_signoff(report).sign(
        access_for(by).manager_agency_ids,
        record=record,
        not_a_party=refusal,
        already_signed=refusal,
    )
    if signed.is_complete:
        report.status = Report.Status.FINALISED
        report.finalised_at = now
        report.full_clean(exclude=SNAPSHOT)
        report.save()
        notices.report_finalised(report)
    return report


@transaction.atomic
def commendation_save(*, commendation: Commendation, by) -> Commendation:
    """Validate and save a new or changed commendation."""
    if commendation.pk is None:
        commendation.created_by = by
    commendation.full_clean()
    commendation.save()
    return commendation


@transaction.atomic
def commendation_delete(*, commendation: Commendation, by) -> None:
    """Delete a commendation. Finalised reports keep it in their snapshot."""
    commendation.delete()


# --- helpers -----------------------------------------------------------------------------------


def _lock_draft(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_draft:
        raise ValidationError(FROZEN)
    return report


def _reset_finalisations(report: Report) -> int:
    """Clear the finalisations of a draft that changed; returns how many were cleared."""
    cleared = report.signatories.filter(finalised_at__isnull=False).update(
        finalised_at=None, finalised_by=None
    )
    report.finalisations_reset = cleared
    return cleared


def _default_header(report: Report, data: dict, today: datetime.date) -> None:
    current = data["current_province"]
    report.place = current["name"] if current else "Hà Nội"
    report.issued_on = today
    report.doc_number = ""
    report.doc_symbol = "-".join(["BC", *(_abbreviation(p) for p in data["parties"])])
    report.recipients = "\n".join(_default_recipients(data))


def _abbreviation(party: dict) -> str:
    if party["short_name"]:
        return party["short_name"]
    words = re.findall(r"\w+", search_key(party["current_name"]))
    return "".join(word[0] for word in words).upper()


def _default_recipients(data: dict) -> list[str]:
    current = data["current_province"]
    if current:
        return [
            _("UBND tỉnh %(province)s (để báo cáo);") % {"province": current["name"]},
            _("Bộ Dân tộc và Tôn giáo;"),
            _("Liên minh Hợp tác xã Việt Nam;"),
            _("Các sở, ban, ngành phối hợp;"),
            _("Lưu: VT."),
        ]
    return [
        _("Thủ tướng Chính phủ (để báo cáo);"),
        _("Các bộ, ngành liên quan;"),
        _("Ban Dân tộc, Liên minh HTX các tỉnh, thành phố;"),
        _("Lưu: VT."),
    ]


def place_on(program: Program, day: datetime.date) -> str:
    """Where a report of `program` dated `day` is issued: its province as named that day
    ('Bình Phước' on 15/12/2024, 'Đồng Nai' today); '' for a national program."""
    if not program.province_id:
        return ""
    return program.province.on(day).name_on(day).name


def _follow_date(signatory: ReportSignatory, before: datetime.date, day: datetime.date) -> None:
    """Move the lines of `signatory` still as generated for `before` to what they are on
    `day` (the issuing body then and its parent)."""
    agency = Agency.objects.with_history().get(pk=signatory.agency_id)
    old, new = default_signature(agency, before), default_signature(agency, day)
    for name in ("parent_name", "issuer_name", "position"):
        if getattr(signatory, name) == old[name]:
            setattr(signatory, name, new[name])


def _add_signatories(report: Report, data: dict, previous: Report | None) -> None:
    before = {s.agency_id: s for s in previous.signatories.all()} if previous else {}
    agencies = Agency.objects.with_history().in_bulk(
        [party["agency_id"] for party in data["parties"]]
    )
    for order, party in enumerate(data["parties"]):
        old = before.get(party["agency_id"])
        if old:
            lines = {name: getattr(old, name) for name in SIGNATORY_FIELDS}
        else:
            lines = default_signature(agencies[party["agency_id"]], report.issued_on)
        signatory = ReportSignatory(
            report=report, agency_id=party["agency_id"], order=order, **lines
        )
        signatory.full_clean()
        signatory.save()


def default_signature(agency: Agency, day: datetime.date | None = None) -> dict[str, str]:
    """Header lines and signing title of the party `agency` in a document of `day` (today by
    default), as Nghị định 30 writes them: the body carrying it on that day, named as it was,
    under its own parent body if it has one ('UBND tỉnh Bình Phước' above a board of that
    province, with the province left out of its own name), a cooperative alliance under
    nothing; the head's title by the kind of body."""
    day = day or timezone.localdate()
    agency = agency.on(day)
    parent, name = agency.document_lines(day)
    kind = agency.kind
    words = search_key(agency.name)
    if kind == Agency.Kind.ETHNIC_AFFAIRS:
        if words.startswith("ban "):
            position = _("TRƯỞNG BAN")
        elif words.startswith("bo "):
            position = _("BỘ TRƯỞNG")
        elif words.startswith("uy ban dan toc"):
            position = _("BỘ TRƯỞNG, CHỦ NHIỆM")
        else:
            position = _("GIÁM ĐỐC")
    elif kind in (Agency.Kind.COOPERATIVE_ALLIANCE, Agency.Kind.PEOPLES_COMMITTEE):
        position = _("CHỦ TỊCH")
    elif kind == Agency.Kind.DEPARTMENT:
        position = _("GIÁM ĐỐC")
    else:
        position = _("THỦ TRƯỞNG CƠ QUAN")
    return {"parent_name": parent, "issuer_name": name, "position": position, "signer_name": ""}
