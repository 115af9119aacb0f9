"""The project's URLs plus the trivial view the benchmarks compare against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def trivial(request):
    """A signed-in request through the whole middleware stack that does no work."""
    return HttpResponse("ok")


urlpatterns = [
    path("trivial/", trivial),
    path("", include("config.urls")),
]
