"""The project's URLs, plus `/__bare__/`: a Django view that does nothing, served through the
same middleware, the yardstick of benchmarks/web.py."""

from django.http import HttpResponse
from django.urls import path

from vigilance.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), *project_urlpatterns]
