from django.utils.functional import SimpleLazyObject

from . import roles as role_checks
from .identity import site_identity


def roles(request):
    """What the navigation needs to know about the viewing user (read from the user row)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_referent": role_checks.is_referent(user),
        "is_mayor_office": role_checks.is_mayor_office(user),
        "is_police_officer": role_checks.is_police_officer(user),
    }


def site(request):
    """The deployment's identity (`site_identity`), read only by the pages that show it."""
    return {"site_identity": SimpleLazyObject(site_identity)}
