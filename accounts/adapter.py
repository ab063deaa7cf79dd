import time
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import ratelimit
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.client_ip import client_ip, client_network
from accounts.identity import site_identity

# Failed logins on one account from every address together (ACCOUNT_RATE_LIMITS): a high cap
# against guessing spread over many addresses, cleared by a password reset.
ACCOUNT_WIDE_FAILURES = "login_failed_account"


class _ServiceSite:
    """What allauth's email templates read of "the current site"."""

    def __init__(self):
        self.name = site_identity().display_name
        self.domain = urlsplit(settings.SITE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's emails greet in the site's name ("Hello from {{ site_name }}!"): the
        # commune's service, not the host name the request came to.
        super().send_mail(template_prefix, email, {"current_site": _ServiceSite(), **context})

    def format_email_subject(self, subject: str) -> str:
        return f"[{site_identity().display_name}] {subject}"

    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed logins per account, so anyone who knows an email address could
        # keep its owner locked out. Counting per (address, account) locks only the guesser.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_network(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if not ratelimit.consume(
            request, action=ACCOUNT_WIDE_FAILURES, key=self._account_key(request, **credentials), dry_run=True
        ):
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        ratelimit.consume(
            request, action=ACCOUNT_WIDE_FAILURES, key=self._account_key(request, **credentials)
        )

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # Called after a password reset by email: the owner proved who they are.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, action=ACCOUNT_WIDE_FAILURES, key=self._account_key(request, **credentials))

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Not right after signing in: allauth counts only a password typed again, so the first
        page of a role account's first login, the set-up of the authenticator app, asked for the
        password a second time."""
        return super().is_reauthentication_required(app=app, **kwargs) and not self._signed_in_recently()

    def _signed_in_recently(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        last = max((record.get("at", 0) for record in records), default=0)
        return time.time() - last < app_settings.REAUTHENTICATION_TIMEOUT
