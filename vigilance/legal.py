"""The pages a commune's online service must have (accessibility statement, legal notice,
privacy notice), the service's logo and favicon, and the pages of refused requests."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts.identity import site_identity, site_logo

LOGO_CACHE_SECONDS = 24 * 3600


@require_safe
def accessibility(request):
    return render(request, "legal/accessibility.html", {"identity": site_identity()})


@require_safe
def legal_notice(request):
    return render(request, "legal/notice.html", {"identity": site_identity()})


@require_safe
def privacy(request):
    retention = {
        "alert_days": settings.ALERT_RETENTION_DAYS,
        "address_days": settings.DELIVERY_ADDRESS_RETENTION_DAYS,
        "inactive_months": settings.INACTIVE_ACCOUNT_MONTHS,
        "grace_days": settings.INACTIVE_ACCOUNT_GRACE_DAYS,
    }
    return render(request, "legal/privacy.html", {"identity": site_identity(), "retention": retention})


@require_safe
def logo(request):
    """The town hall's logo (kept in the database: nothing to set up to serve it). Its URL
    carries the identity's version, so it can be kept a day."""
    found = site_logo()
    if found is None:
        raise Http404
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    # An SVG opened on its own runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=LOGO_CACHE_SECONDS)
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the site's icon."""
    response = HttpResponseRedirect(static("img/logo.svg"))
    patch_cache_control(response, public=True, max_age=LOGO_CACHE_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """A form sent from an expired page, or with cookies turned off (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
