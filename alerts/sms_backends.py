"""SMS backends, chosen by the SMS_BACKEND setting as Django chooses email backends.

- TwilioSmsBackend: production, through the official twilio SDK.
- ConsoleSmsBackend: `make run` without Twilio credentials; texts go to the log.
- LocmemSmsBackend: unit tests; texts are appended to `outbox`.
"""

import logging
import os
import threading
import uuid

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from .channels.base import ChannelError

logger = logging.getLogger(__name__)

# Twilio error codes that retrying cannot fix (invalid number, unsubscribed, not a mobile,
# not reachable, landline or unreachable carrier).
PERMANENT_TWILIO_CODES = {21211, 21408, 21610, 21612, 21614, 21635, 30003, 30005, 30006}
TRANSIENT_TWILIO_CODES = {20429, 20500, 20503, 30001, 30008}
OPTED_OUT_CODE = "21610"

outbox: list[dict] = []
_outbox_lock = threading.Lock()


class ConsoleSmsBackend:
    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        sid = f"console-{uuid.uuid4().hex[:16]}"
        logger.warning("SMS to %s (%s): %s", to, sid, body)
        print(f"[SMS to {to}] {body}", flush=True)  # noqa: T201 - the console backend's purpose
        return sid

    def find_sent(self, *, to: str, body: str) -> list[str]:
        return []


class LocmemSmsBackend:
    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        sid = f"SM{uuid.uuid4().hex}"
        with _outbox_lock:
            outbox.append({"sid": sid, "to": to, "body": body, "status_callback": status_callback})
        return sid

    def find_sent(self, *, to: str, body: str) -> list[str]:
        with _outbox_lock:
            return [m["sid"] for m in reversed(outbox) if m["to"] == to and m["body"] == body]


class TwilioSmsBackend:
    """One client per process, its connection pool sized to the worker's concurrency."""

    def __init__(self):
        http_client = TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT, pool_connections=True)
        adapter = HTTPAdapter(
            pool_connections=1, pool_maxsize=max(settings.SMS_CONNECTION_POOL_SIZE, 1), max_retries=0
        )
        http_client.session.mount("https://", adapter)
        http_client.session.mount("http://", adapter)
        # requests reads the proxy and CA variables of the environment on every request (a
        # quarter of a millisecond each): read them once, here.
        http_client.proxy = get_environ_proxies(settings.TWILIO_BASE_URL)
        http_client.session.verify = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )
        http_client.session.trust_env = False
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)
        self.client.api.base_url = settings.TWILIO_BASE_URL.rstrip("/")

    def _sender(self) -> dict:
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM_NUMBER}

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> str:
        params = {"to": to, "body": body, "validity_period": settings.SMS_VALIDITY_PERIOD, **self._sender()}
        if status_callback:
            params["status_callback"] = status_callback
        try:
            return self.client.messages.create(**params).sid
        except TwilioRestException as error:
            raise _channel_error(error) from error
        except requests.RequestException as error:
            if _never_left(error):
                raise ChannelError(f"Twilio unreachable: {error}", permanent=False, code="network") from error
            # The request may have reached Twilio: it is asked before anything is sent again.
            timeout = isinstance(error, requests.Timeout)
            message = "Twilio did not answer in time" if timeout else f"connection lost: {error}"
            raise ChannelError(
                message, permanent=False, code="timeout" if timeout else "network", unknown=True
            ) from error

    def find_sent(self, *, to: str, body: str) -> list[str]:
        """The sids of the messages Twilio accepted for this number with this very text, newest
        first (an alert's text carries its own link, so it names the alert).

        Asked before re-sending a delivery whose outcome is unknown, so that it is not sent
        twice. Not filtered by date: a message still queued at Twilio has no date_sent yet.
        """
        try:
            messages = self.client.messages.list(to=to, limit=20)
        except (TwilioRestException, requests.RequestException) as error:
            raise ChannelError(f"cannot check sent messages: {error}", permanent=False) from error
        return [m.sid for m in messages if m.body == body]


def _never_left(error: requests.RequestException) -> bool:
    """Whether the request surely never reached Twilio: no connection could be opened."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)  # refused, or the name did not resolve


def _channel_error(error: TwilioRestException) -> ChannelError:
    code = int(error.code) if error.code else None
    status = int(error.status or 0)
    transient = status == 429 or status >= 500 or code in TRANSIENT_TWILIO_CODES
    permanent = not transient and (code in PERMANENT_TWILIO_CODES or 400 <= status < 500)
    return ChannelError(str(error.msg or error)[:300], permanent=permanent, code=str(code or status))


_backends: dict[tuple, object] = {}
_backends_lock = threading.Lock()


def get_sms_backend():
    """The process's backend; rebuilt only if the settings that shape it change (tests)."""
    key = (
        settings.SMS_BACKEND,
        settings.TWILIO_BASE_URL,
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_TIMEOUT,
    )
    with _backends_lock:
        if key not in _backends:
            _backends[key] = import_string(settings.SMS_BACKEND)()
        return _backends[key]
