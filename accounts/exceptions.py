class NotFound(Exception):
    """What was asked for does not exist for this user.

    Services and selectors raise it for anything out of the user's reach, so that another
    community's data looks exactly like data that does not exist; the project's middleware
    answers it with the 404 page. Domain code knows nothing of HTTP.
    """
