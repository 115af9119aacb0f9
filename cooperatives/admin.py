from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from import_export.admin import ImportExportModelAdmin

from core.admin import ReadOnlyAdminMixin, ToneInsensitiveSearchMixin

from .importer import ImportFileError
from .importer.formats import CooperativeCSV, CooperativeXLSX
from .models import Cooperative, CooperativeImport
from .permissions import IMPORT, import_policy
from .resources import CooperativeResource


@admin.register(Cooperative)
class CooperativeAdmin(ToneInsensitiveSearchMixin, ImportExportModelAdmin):
    """The registry in the admin, with django-import-export's import (preview, then confirm)
    and export, through the same resource and file checks as the /htx/ pages."""

    list_display = [
        "registration_code",
        "name",
        "kind",
        "province",
        "commune",
        "members",
        "ocop_stars",
        "status",
    ]
    list_filter = ["kind", "status", "rating", "ocop_stars", "in_ethnic_minority_area", "province"]
    search_fields = ["registration_code", "search_key"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    resource_classes = [CooperativeResource]
    import_formats = [CooperativeXLSX, CooperativeCSV]
    export_formats = [CooperativeXLSX]
    import_template_name = "admin/cooperatives/cooperative/import.html"
    # Rows are written in bulk (no ids at logging time) and a province's list is thousands of
    # rows: one admin log entry per row would be noise, not an audit trail.
    skip_admin_log = True

    def get_export_queryset(self, request):
        # The export takes the changelist's filters from the query string; one that names no
        # filter gets the 400 page (the changelist itself answers it with ?e=1), not a 500.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(str(error)) from error

    def has_import_permission(self, request):
        return import_policy.allows_any(request.user, IMPORT)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing at the confirm step too, should the data have changed since the
        # preview.
        kwargs.pop("form", None)
        kwargs.pop("request", None)
        return {**kwargs, "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(CooperativeImport)
class CooperativeImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Lists uploaded on /htx/nhap/, read-only: which file, by whom, its preview and import
    jobs, and whether the file is still kept."""

    list_display = ["name", "uploaded_by", "province", "created_at", "preview_job", "import_job"]
    list_select_related = ["uploaded_by", "province", "preview_job", "import_job"]
    search_fields = ["name", "uploaded_by__username"]
    readonly_fields = [field.name for field in CooperativeImport._meta.fields]
