"""Picking one cooperative out of a national registry (35,000 of them: too many for a <select>).

- `pickable(user=…, province=…)`: the cooperatives a form may name, those `cooperative_policy`
  lets the user read, narrowed to a province (today's unit with its old units) when the record
  belongs to one.
- `picker_matches(…)`: what the search endpoint /htx/tim/ answers while one types: at most
  `PICKER_LIMIT` of them whose name, commune or representative holds the words typed (tone
  marks, đ/d and case ignored, through the indexed `search_key`) or whose code starts with
  them, in Vietnamese name order, in one query.
- `CooperativePickerField`: the form field. A text box (and a hidden id the JavaScript picker
  fills, static/js/app.js `data-search-url`). Without JavaScript the box takes a code, the
  exact name (tone marks optional) or the picker's "name — code"; a name that is not exact gets
  a list of close names with their codes in the error, to choose from. Whatever the browser
  sends, the id and the text are checked against the field's queryset on the server: a
  cooperative outside it is refused with a message."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core.forms import IdField
from core.permissions import READ
from core.text import clean_text, search_key

from .models import Cooperative
from .permissions import cooperative_policy

PICKER_LIMIT = 20
# Fewer letters than this match too much to be worth a query (a code's digits always count).
PICKER_MIN_LENGTH = 2
SUGGESTIONS = 5


def pickable(*, user, province: Province | None = None) -> QuerySet[Cooperative]:
    """The cooperatives `user` may name on a record of `province` (today's unit, whose old
    units' cooperatives count too) or, with None, of the whole country."""
    coops = cooperative_policy.instances(user, READ)
    return coops if province is None else coops.in_province(province)


def picker_matches(
    coops: QuerySet[Cooperative], query: str, *, limit: int = PICKER_LIMIT
) -> tuple[list[Cooperative], bool]:
    """Up to `limit` of `coops` matching `query` (`CooperativeQuerySet.search`), in Vietnamese
    name order, with their province, and whether more match: one query. A query shorter than
    `PICKER_MIN_LENGTH` letters matches nothing."""
    query = clean_text(query)
    if len(search_key(query).replace(" ", "")) < PICKER_MIN_LENGTH:
        return [], False
    found = list(coops.search(query).select_related("province").in_registry_order()[: limit + 1])
    return found[:limit], len(found) > limit


def as_json(coop: Cooperative) -> dict:
    """One result of the search endpoint."""
    place = ", ".join(part for part in (coop.commune, coop.province.label) if part)
    return {
        "id": coop.pk,
        "code": coop.registration_code,
        "name": coop.name,
        "label": coop.picker_label,
        "place": place,
    }


class PickerSearchForm(forms.Form):
    """The query string of /htx/tim/: the words typed and an optional province."""

    q = forms.CharField(required=False, max_length=200)
    province = IdField(required=False)

    def clean_province(self) -> Province | None:
        pk = self.cleaned_data["province"]
        if pk is None:
            return None
        province = Province.objects.filter(pk=pk).first()
        if province is None:
            raise ValidationError(_("Không có tỉnh, thành phố này."))
        return province


class CooperativePickerWidget(forms.MultiWidget):
    """A text box and the hidden id of the cooperative chosen in it (static/js/app.js turns
    the box into a combobox over /htx/tim/ when it has `data-search-url`)."""

    def __init__(self, attrs=None):
        text = forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-search-found": _("%(n)s HTX tìm thấy; dùng phím mũi tên lên, xuống để chọn."),
                "data-search-more": _("Còn nhiều HTX khác: gõ thêm chữ để thu hẹp."),
                "data-search-none": _("Không tìm thấy HTX nào."),
            }
        )
        super().__init__((text, forms.HiddenInput(attrs={"data-search-id": ""})), attrs)

    def decompress(self, value):
        if isinstance(value, Cooperative):
            return [value.picker_label, value.pk]
        return [None, None]

    def id_for_label(self, id_):
        # The label names the text box (Django's MultiWidget points a label at none of its
        # inputs; the hidden id needs no label).
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text, hidden = context["widget"]["subwidgets"]
        text["attrs"]["data-search-target"] = hidden["attrs"].get("id", "")
        return context


class CooperativePickerField(forms.MultiValueField):
    """One cooperative of `queryset`, named by the picker's id or by the text typed (a code,
    the exact name, or "name — code"). `out_of_reach` is the message for a cooperative that
    exists but is not in `queryset`; `search_url` is where the picker searches."""

    widget = CooperativePickerWidget

    def __init__(self, *, queryset=None, out_of_reach=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            (forms.CharField(max_length=400, required=False), IdField(required=False)),
            require_all_fields=False,
            **kwargs,
        )
        self.queryset = queryset if queryset is not None else Cooperative.objects.none()
        self.out_of_reach = out_of_reach or _("HTX “%(name)s” không thuộc phạm vi được chọn ở đây.")

    @property
    def search_url(self) -> str:
        return self.widget.widgets[0].attrs.get("data-search-url", "")

    @search_url.setter
    def search_url(self, url: str) -> None:
        self.widget.widgets[0].attrs["data-search-url"] = url

    def compress(self, data_list) -> Cooperative | None:
        text, pk = (list(data_list) + [None, None])[:2] if data_list else (None, None)
        text = clean_text(text)
        if not text:
            return None
        chosen = Cooperative.objects.filter(pk=pk).first() if pk is not None else None
        if chosen is not None:
            if not self.queryset.filter(pk=pk).exists():
                raise ValidationError(self.out_of_reach % {"name": chosen.name})
            if text in (chosen.picker_label, chosen.registration_code) or chosen.has_name(text):
                return chosen
        # No choice, or the box was changed after it (without JavaScript): the text decides.
        return self._from_text(text)

    def _from_text(self, text: str) -> Cooperative:
        name, _dash, tail = text.rpartition(" — ")
        code = (tail if name else text).replace(" ", "")
        if code[:1].isdigit():
            return self._from_code(code)
        matches = [c for c in self.queryset.with_name(text)[: SUGGESTIONS + 1] if c.has_name(text)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValidationError(
                _("Có nhiều HTX tên “%(name)s”: %(list)s. Nhập mã số của HTX cần chọn.")
                % {"name": text, "list": self._listed(matches)}
            )
        close, _more = picker_matches(self.queryset, text, limit=SUGGESTIONS)
        if close:
            raise ValidationError(
                _(
                    "Không có HTX nào tên đúng là “%(name)s”. Có phải: %(list)s? "
                    "Nhập tên đầy đủ hoặc mã số của HTX cần chọn."
                )
                % {"name": text, "list": self._listed(close)}
            )
        if Cooperative.objects.with_name(text).exists():
            raise ValidationError(self.out_of_reach % {"name": text})
        raise ValidationError(_("Không tìm thấy HTX nào tên “%(name)s”.") % {"name": text})

    def _from_code(self, code: str) -> Cooperative:
        found = self.queryset.filter(registration_code=code).first()
        if found is not None:
            return found
        elsewhere = Cooperative.objects.filter(registration_code=code).first()
        if elsewhere is not None:
            raise ValidationError(self.out_of_reach % {"name": elsewhere.name})
        raise ValidationError(
            _("Không tìm thấy HTX có mã số %(code)s trong danh sách.") % {"code": code}
        )

    @staticmethod
    def _listed(coops) -> str:
        return "; ".join(coop.picker_label for coop in coops[:SUGGESTIONS])
