from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Commune, Province
from core.text import clean_text, vi_sort_key

from .importer import ImportFileError, Limits, check_file
from .importer.files import SUPPORTED, megabytes
from .models import Cooperative
from .querysets import import_province_ids

ALL = ("", _("Tất cả"))


def current_province_choices(ids=None) -> list[tuple[str, str]]:
    """Today's provinces (or those of `ids`) in Vietnamese order, as select choices."""
    units = Province.objects.current()
    if ids is not None:
        units = units.filter(pk__in=ids)
    return [(str(p.pk), p.label) for p in sorted(units, key=lambda p: vi_sort_key(p.name))]


class CooperativeFilterForm(forms.Form):
    """The filters of the list page (GET); also used for the export of the filtered list."""

    q = forms.CharField(label=_("Tìm"), required=False)
    province = forms.TypedChoiceField(label=_("Tỉnh, thành phố"), required=False, coerce=int)
    kind = forms.ChoiceField(
        label=_("Loại hình"), required=False, choices=[ALL, *Cooperative.Kind.choices]
    )
    sector = forms.ChoiceField(label=_("Ngành nghề"), required=False)
    ocop = forms.ChoiceField(
        label=_("OCOP"),
        required=False,
        choices=[ALL, ("any", _("Có sản phẩm OCOP")), ("3", "3★"), ("4", "4★"), ("5", "5★")],
    )
    ethnic_area = forms.ChoiceField(
        label=_("Vùng DTTS và MN"),
        required=False,
        choices=[ALL, ("yes", _("Thuộc vùng DTTS và MN")), ("no", _("Ngoài vùng DTTS và MN"))],
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[ALL, *Cooperative.Status.choices]
    )

    def __init__(self, *args, sectors: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [ALL, *current_province_choices()]
        self.fields["sector"].choices = [ALL, *((s, s) for s in sectors)]
        self._init_commune()

    # --- the commune filter (issue 15): shown once a province is chosen -----------------
    commune = forms.CharField(
        label=_("Xã, phường"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Tên hiện nay hoặc trước 1/7/2025")}),
    )

    def _init_commune(self) -> None:
        """The field only once a province is chosen (from the query string), with that
        province's communes offered as suggestions; the province list reloads the page when
        changed, to show them."""
        self.fields["province"].widget.attrs["data-autosubmit"] = ""
        self.commune_province = None
        self.commune_names: list[str] = []
        value = self.data.get("province") if self.is_bound else None
        if value and str(value).isdigit() and len(str(value)) < 19:
            self.commune_province = Province.objects.current().filter(pk=int(value)).first()
        if self.commune_province is None:
            del self.fields["commune"]
            return
        names = Commune.objects.in_province(self.commune_province).current()
        self.commune_names = sorted(
            {c.full_name for c in names.only("name", "kind")}, key=vi_sort_key
        )
        self.fields["commune"].widget.attrs["list"] = "commune-names"
        self.order_fields(["q", "province", "commune"])

    def clean_commune(self) -> str:
        name = clean_text(self.cleaned_data.get("commune", ""))
        if not name:
            return ""
        if not Commune.objects.in_province(self.commune_province).matching_name(name).exists():
            raise forms.ValidationError(
                _("Không có xã, phường nào tên “%(name)s” ở %(province)s.")
                % {"name": name, "province": self.commune_province.label}
            )
        return name

    def criteria(self) -> dict:
        """The valid filters as keyword arguments for `CooperativeQuerySet.filter_by` (an
        invalid one is left out, the others still apply)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = dict(self.cleaned_data)
        if data.get("province"):
            data["province"] = Province.objects.filter(pk=data["province"]).first()
        else:
            data.pop("province", None)
        return data


class ImportForm(forms.Form):
    """Step one of an import: the file, and the province for rows that name none."""

    file = forms.FileField(
        label=_("Tệp danh sách HTX"),
        help_text=_(
            "Tệp Excel (.xlsx, .xls), LibreOffice (.ods) hoặc .csv (UTF-8), tối đa %(size)s."
        )
        % {"size": megabytes(Limits.from_settings().max_bytes)},
    )
    province = forms.TypedChoiceField(
        label=_("Tỉnh, thành phố cho các dòng không ghi tỉnh"), required=False, coerce=int
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = import_province_ids(user)
        choices = current_province_choices(scope)
        self.fields["province"].choices = [("", _("— không —")), *choices]
        if scope is not None and len(choices) == 1:
            self.fields["province"].initial = choices[0][0]
        self.fields["file"].widget.attrs["accept"] = ",".join(SUPPORTED)

    def clean_file(self):
        """The size first (before reading the upload), then the safety checks of the content
        (`importer.check_file`); reading the rows is the background job's work."""
        upload = self.cleaned_data["file"]
        limits = Limits.from_settings()
        if upload.size > limits.max_bytes:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": megabytes(upload.size), "limit": megabytes(limits.max_bytes)}
            )
        upload.seek(0)
        try:
            check_file(upload.read(), name=upload.name, limits=limits)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload

    def clean_province(self):
        pk = self.cleaned_data["province"]
        return Province.objects.get(pk=pk) if pk else None
