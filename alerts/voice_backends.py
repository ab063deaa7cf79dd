"""Voice backends (calls to landlines), chosen by the VOICE_BACKEND setting as SMS_BACKEND
chooses the SMS backend.

- TwilioVoiceBackend: production, through the official twilio SDK (Calls API).
- ConsoleVoiceBackend: `make run` without Twilio credentials; the TwiML goes to the log.
- LocmemVoiceBackend: unit tests; calls are appended to `outbox`.

Each places a call that reads `twiml` (`call`) and finds the calls placed to a number since a
moment (`find_calls`), newest first: the lookup made before a call whose outcome is unknown is
placed again.
"""

import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioRestException

from . import sms_backends
from .channels.base import ChannelError

logger = logging.getLogger(__name__)

# The call progress Twilio reports to `status_callback` (alerts.voice_webhooks.voice_status).
STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]
RING_SECONDS = 40  # long enough for someone to walk to the phone, short of most answering machines
# Twilio's clock and ours may differ a little: a call created this long before the delivery
# row still counts as the delivery's (a call for an earlier delivery holds its own sid).
CLOCK_GRACE = timedelta(seconds=2)

outbox: list[dict] = []
_outbox_lock = threading.Lock()


class ConsoleVoiceBackend:
    def call(self, *, to: str, twiml: str, status_callback: str | None = None) -> str:
        sid = f"console-{uuid.uuid4().hex[:16]}"
        logger.warning("Call to %s (%s): %s", to, sid, twiml)
        print(f"[Call to {to}] {twiml}", flush=True)  # noqa: T201 - the console backend's purpose
        return sid

    def find_calls(self, *, to: str, since: datetime) -> list[str]:
        return []


class LocmemVoiceBackend:
    def call(self, *, to: str, twiml: str, status_callback: str | None = None) -> str:
        sid = f"CA{uuid.uuid4().hex}"
        entry = {"sid": sid, "to": to, "twiml": twiml, "status_callback": status_callback}
        with _outbox_lock:
            outbox.append({**entry, "created_at": timezone.now()})
        return sid

    def find_calls(self, *, to: str, since: datetime) -> list[str]:
        with _outbox_lock:
            return [c["sid"] for c in reversed(outbox) if c["to"] == to and c["created_at"] >= since]


class TwilioVoiceBackend:
    """The same client set-up as SMS (pooled connections, timeout, base URL)."""

    def __init__(self):
        self.client = sms_backends.TwilioSmsBackend().client

    def call(self, *, to: str, twiml: str, status_callback: str | None = None) -> str:
        params = {"to": to, "from_": settings.TWILIO_FROM_NUMBER, "twiml": twiml, "timeout": RING_SECONDS}
        if status_callback:
            params.update(status_callback=status_callback, status_callback_event=STATUS_EVENTS)
        try:
            return self.client.calls.create(**params).sid
        except TwilioRestException as error:
            raise sms_backends._channel_error(error) from error
        except requests.RequestException as error:
            if sms_backends._never_left(error):
                raise ChannelError(f"Twilio unreachable: {error}", permanent=False, code="network") from error
            # The call may have been placed: Twilio is asked before it is placed again.
            timeout = isinstance(error, requests.Timeout)
            message = "Twilio did not answer in time" if timeout else f"connection lost: {error}"
            raise ChannelError(
                message, permanent=False, code="timeout" if timeout else "network", unknown=True
            ) from error

    def find_calls(self, *, to: str, since: datetime) -> list[str]:
        """The sids of the calls Twilio created to this number since `since`, newest first.

        Twilio filters on the day (`StartTime>`, whose documented format is a date), then the
        calls are kept here by when Twilio created them. Asked DELIVERY_CHECK_AFTER after the
        unknown outcome, when a call created then has long been dialled."""
        since = since.astimezone(UTC)
        day = datetime(since.year, since.month, since.day, tzinfo=UTC)
        try:
            calls = self.client.calls.list(to=to, start_time_after=day, limit=50)
        except (TwilioRestException, requests.RequestException) as error:
            raise ChannelError(f"cannot check placed calls: {error}", permanent=False) from error
        return [c.sid for c in calls if c.date_created is None or c.date_created >= since - CLOCK_GRACE]


_backends: dict[tuple, object] = {}
_backends_lock = threading.Lock()


def get_voice_backend():
    """The process's backend; rebuilt only if the settings that shape it change (tests)."""
    key = (
        settings.VOICE_BACKEND,
        settings.TWILIO_BASE_URL,
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_TIMEOUT,
    )
    with _backends_lock:
        if key not in _backends:
            _backends[key] = import_string(settings.VOICE_BACKEND)()
        return _backends[key]
