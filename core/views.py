from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .models import Job


@login_required
def job_list(request):
    """The user's recent background jobs, newest first, with their results."""
    jobs = Job.objects.visible_to(request.user).select_related("owner")[:50]
    return render(request, "core/job_list.html", {"jobs": jobs})


@never_cache
@login_required
def job_detail(request, pk: int):
    """One job's progress; htmx polls it and gets only the progress partial."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    if request.htmx:
        return render(request, "core/partials/_job_progress.html", {"job": job})
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_file(request, pk: int):
    """The job's result file, only to those who may see the job."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )


def csrf_failure(request, reason=""):
    """A Vietnamese page instead of Django's technical CSRF explanation."""
    return render(request, "403_csrf.html", status=403)
