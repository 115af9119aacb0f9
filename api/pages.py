"""The token page (/tai-khoan/api-token/): the user's tokens, a form to create one (its secret
shown once, on the answer to that POST) and revocation. The profile page links here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.permissions import READ, WRITE

from . import services
from .forms import TokenForm
from .models import ApiToken
from .permissions import token_policy


def _page(request, form, *, secret: str | None = None):
    tokens = token_policy.instances(request.user, READ, ApiToken.objects.all())
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": tokens,
            "secret": secret,
            "docs_url": request.build_absolute_uri(reverse("api:docs")),
            "api_url": request.build_absolute_uri(reverse("api:activity-list")),
        },
    )


@never_cache
@login_required
def token_list(request):
    """GET: the list and the form; POST: create a token and show its secret this once."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo mã “%(name)s”.") % {"name": token.name})
            return _page(request, TokenForm(), secret=secret)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = token_policy.get_for(request.user, WRITE, pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("Đã thu hồi mã “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens:token_list")
