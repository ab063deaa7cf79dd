from neighbourhoods import selectors


def roles(request):
    """What the navigation needs to know about the viewing user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_referent": selectors.is_referent(user)}
