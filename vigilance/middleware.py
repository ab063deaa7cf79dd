from django.conf import settings
from django.http import Http404

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
