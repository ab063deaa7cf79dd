from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.http.multipartparser import MultiPartParserError

from accounts.exceptions import NotFound


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header: every asset comes from this site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class RefuseNulMiddleware:
    """Answers 400 when the path, the query string or a form field holds a NUL character.

    PostgreSQL refuses NUL in text, so such a value would reach a query and give a server error;
    no legitimate form or link carries one. Values are checked decoded (`%00` is NUL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    sources = [request.GET]
    if request.method == "POST":
        try:
            sources.append(request.POST)
        except MultiPartParserError as error:
            raise BadRequest("Malformed form data") from error
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for data in sources
        for key, values in data.lists()
    )


class NotFoundMiddleware:
    """Answers the domain's NotFound (something out of the user's reach) with the 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404 from exception
        return None
