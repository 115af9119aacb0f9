from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies.communes import CommuneIndexes
from agencies.querysets import successor_path
from core.permissions import READ
from core.storage import DiskFull

from . import picker, uploads
from .forms import CooperativeFilterForm, ImportForm
from .models import Cooperative, CooperativeImport
from .permissions import IMPORT, cooperative_policy, import_policy, upload_policy
from .services import choose_commune, cooperatives_export, cooperatives_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
        coops.select_related("province__successor").in_registry_order(), PAGE_SIZE
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
            "can_import": import_policy.allows_any(request.user, IMPORT),
        },
    )


@login_required
def cooperative_detail(request, pk: int):
    """Every field of one cooperative and the activities that supported it, by year."""
    coop = cooperative_policy.get_for(
        request.user, READ, Cooperative.objects.select_related("province"), pk=pk
    )
    # The reverse relation declared by coordination.Activity: no import of that app here.
    activities = (
        coop.activities.visible_to(request.user)
        .select_related("plan__program", "task_area", successor_path("lead_agency"))
        .order_by("-plan__year", "start_date", "pk")
    )
    years = [(year, list(items)) for year, items in groupby(activities, lambda a: a.plan.year)]
    return render(request, "cooperatives/cooperative_detail.html", {"coop": coop, "years": years})


@login_required
def cooperative_search(request):
    """The picker's search (JSON): at most `picker.PICKER_LIMIT` cooperatives the user may see,
    of one province (`province=`, its old units included) or of all, matching `q` by name or
    code without tone marks; `more` says whether others match too. A bad query string is a 400
    with the form's messages."""
    form = picker.PickerSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    coops = picker.pickable(user=request.user, province=form.cleaned_data["province"])
    found, more = picker.picker_matches(coops, form.cleaned_data["q"])
    return JsonResponse({"results": [picker.as_json(c) for c in found], "more": more})


@login_required
def cooperative_check(request):
    """'HTX cần kiểm tra': cooperatives of the provinces the user imports for whose written
    commune the import could not place, each with today's candidates; the admin picks one."""
    import_policy.require_any(request.user, IMPORT)
    coops = Cooperative.objects.importable_by(request.user).needing_commune()
    if request.method == "POST":
        coop = get_object_or_404(coops, pk=_int(request.POST.get("cooperative")))
        try:
            choose_commune(coop, _int(request.POST.get("commune")))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã gắn %(coop)s với %(commune)s.")
                % {"coop": coop.name, "commune": coop.current_commune.full_name},
            )
        return redirect("cooperatives:check")
    page = Paginator(
        coops.select_related("province__successor").in_registry_order(), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    # Each province's communes loaded once (`CommuneIndexes`), not looked up per row.
    indexes = CommuneIndexes()
    rows = [
        (coop, indexes.of(coop.province).find(coop.commune, coop.district).candidates)
        for coop in page
    ]
    return render(request, "cooperatives/cooperative_check.html", {"page": page, "rows": rows})


def _int(value) -> int:
    """A posted id, or 0 (no such row) when it is not a small positive number."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else 0


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
    """Step one: upload. The form's fast safety checks run here; the file is kept and its
    preview (a dry run) runs in the background, followed on the upload's page."""
    import_policy.require_any(request.user, IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            upload = uploads.cooperative_import_upload(
                user=request.user,
                file=form.cleaned_data["file"],
                province=form.cleaned_data["province"],
            )
        except DiskFull as error:
            form.add_error("file", error)
        else:
            return redirect(upload)
    return render(request, "cooperatives/cooperative_import.html", {"form": form})


@never_cache
@login_required
def cooperative_import_detail(request, pk: int):
    """One upload: the preview's progress, then the preview (with "Xác nhận nhập" when it has
    no error), then the import's progress and result. htmx polls it while a job runs and gets
    only the changing part."""
    import_policy.require_any(request.user, IMPORT)
    upload = upload_policy.get_for(
        request.user,
        READ,
        CooperativeImport.objects.select_related("preview_job", "import_job"),
        pk=pk,
    )
    job = upload.import_job or upload.preview_job
    context = {
        "upload": upload,
        "job": job,
        "running": job is not None and not job.is_finished,
        "newest": not upload.is_superseded(),
    }
    if job is not None and job == upload.preview_job and isinstance(job.summary, dict):
        # The preview's rows, 50 a page: what each new or changed row will write.
        context["page"] = Paginator(job.summary.get("rows") or [], 50).get_page(
            request.GET.get("trang")
        )
    if request.htmx:
        return render(request, "cooperatives/partials/_import_state.html", context)
    return render(request, "cooperatives/cooperative_import_detail.html", context)


@login_required
@require_POST
def cooperative_import_confirm(request, pk: int):
    """Step two: the same kept file imported for real, all or nothing, in the background."""
    import_policy.require_any(request.user, IMPORT)
    upload = upload_policy.get_for(request.user, READ, pk=pk)
    try:
        uploads.cooperative_import_confirm(upload=upload, user=request.user)
    except uploads.ImportRefused as refused:
        messages.error(request, str(refused))
    return redirect(upload)
