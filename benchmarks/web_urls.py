"""The project's URLs, plus `/__bare__/`: a Django view that does nothing, served through the
same middleware, the yardstick of benchmarks/web.py; and `/__bare_signed_in__/`, the same view
that reads the signed-in user (what every signed-in page costs before its own work)."""

from django.http import HttpResponse
from django.urls import path

from vigilance.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


def bare_signed_in(request):
    """The floor of any signed-in page: the session and the user read, nothing else."""
    return HttpResponse(b"ok" if request.user.is_authenticated else b"no", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("__bare_signed_in__/", bare_signed_in), *project_urlpatterns]
