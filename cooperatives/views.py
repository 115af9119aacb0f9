import uuid
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.tmp_storages import TempFolderStorage

from agencies.models import Province

from .forms import CooperativeFilterForm, ImportForm
from .models import Cooperative
from .permissions import can_import
from .services import cooperatives_export, cooperatives_import, cooperatives_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = "cooperative_import"  # session key of the file waiting for confirmation
PAGE_SIZE = 50


def _filtered(request) -> tuple[CooperativeFilterForm, object]:
    visible = Cooperative.objects.visible_to(request.user)
    form = CooperativeFilterForm(request.GET or None, sectors=visible.sectors())
    return form, visible.filter_by(**form.criteria())


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def cooperative_list(request):
    """The registry, searchable without tone marks and filtered; paginated."""
    form, coops = _filtered(request)
    page = Paginator(
        coops.select_related("province").order_by("search_key", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cooperatives/cooperative_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_import": can_import(request.user),
        },
    )


@login_required
def cooperative_detail(request, pk: int):
    """Every field of one cooperative and the activities that supported it, by year."""
    coop = get_object_or_404(
        Cooperative.objects.visible_to(request.user).select_related("province"), pk=pk
    )
    # The reverse relation declared by coordination.Activity: no import of that app here.
    activities = (
        coop.activities.visible_to(request.user)
        .select_related("plan__program", "task_area", "lead_agency")
        .order_by("-plan__year", "start_date", "pk")
    )
    years = [(year, list(items)) for year, items in groupby(activities, lambda a: a.plan.year)]
    return render(request, "cooperatives/cooperative_detail.html", {"coop": coop, "years": years})


@login_required
def cooperative_export(request):
    """The filtered list as .xlsx, with the import headers (only what the user may see)."""
    _form, coops = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(cooperatives_export(queryset=coops), f"danh-sach-htx-{stamp}.xlsx")


@login_required
def cooperative_template(request):
    """A blank list with the headers and one example row."""
    return _xlsx(cooperatives_template(), "mau-danh-sach-htx.xlsx")


@login_required
def cooperative_import(request):
    """Step one: upload, then a dry run shows what would happen (the preview)."""
    if not can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        province = form.cleaned_data["province"]
        report = cooperatives_import(
            data=data, name=upload.name, user=request.user, dry_run=True, default_province=province
        )
        file_errors = [e.message for e in report.errors if e.row is None and not e.column]
        if report.layout is None and file_errors:
            for message in file_errors:
                form.add_error("file", message)
        else:
            _forget_pending(request)
            if report.ok:
                storage = TempFolderStorage(read_mode="rb")
                storage.save(data)
                request.session[PENDING] = {
                    "token": uuid.uuid4().hex,
                    "file": storage.name,
                    "name": upload.name,
                    "province": province.pk if province else None,
                }
            pending = request.session.get(PENDING) or {}
            return render(
                request,
                "cooperatives/cooperative_import.html",
                {
                    "form": form,
                    "report": report,
                    "file_name": upload.name,
                    "token": pending.get("token", ""),
                },
            )
    return render(request, "cooperatives/cooperative_import.html", {"form": form})


@login_required
@require_POST
def cooperative_import_confirm(request):
    """Step two: the same file imported for real, all or nothing."""
    if not can_import(request.user):
        raise PermissionDenied
    pending = request.session.get(PENDING)
    if not pending:
        messages.error(request, _("Không còn tệp chờ nhập; hãy tải tệp lên lại."))
        return redirect("cooperatives:import")
    if request.POST.get("token") != pending["token"]:
        # Another preview (e.g. in a second tab) replaced the one this page showed.
        messages.error(
            request, _("Tệp chờ nhập đã được thay bằng một lần tải lên khác; hãy xem trước lại.")
        )
        return redirect("cooperatives:import")
    storage = TempFolderStorage(name=pending["file"], read_mode="rb")
    try:
        data = storage.read()
    except OSError:
        _forget_pending(request)
        messages.error(request, _("Không còn tệp chờ nhập; hãy tải tệp lên lại."))
        return redirect("cooperatives:import")
    province = (
        Province.objects.filter(pk=pending["province"]).first() if pending["province"] else None
    )
    report = cooperatives_import(
        data=data,
        name=pending["name"],
        user=request.user,
        dry_run=False,
        default_province=province,
    )
    _forget_pending(request)
    if not report.ok:
        form = ImportForm(user=request.user)
        return render(
            request,
            "cooperatives/cooperative_import.html",
            {"form": form, "report": report, "file_name": pending["name"]},
        )
    messages.success(
        request,
        _(
            "Đã nhập danh sách HTX: %(new)s mới, %(updated)s cập nhật, %(unchanged)s không "
            "đổi, %(skipped)s dòng bỏ qua."
        )
        % {
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
        },
    )
    return redirect("cooperatives:list")


def _forget_pending(request) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        try:
            TempFolderStorage(name=pending["file"]).remove()
        except OSError:
            pass
