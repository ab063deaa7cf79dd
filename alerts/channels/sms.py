from django.conf import settings
from django.urls import reverse

from ..messages import sms_text
from ..sms_backends import get_sms_backend
from .base import ChannelError


class SmsChannel:
    """One instance per batch. An alert's SMS says the same to everyone: it is rendered once."""

    def __init__(self):
        self.backend = get_sms_backend()
        self.callback_url = f"{settings.SITE_URL}{reverse('alerts:twilio_status')}"
        self._texts: dict[tuple, str] = {}

    def _text(self, delivery) -> str:
        key = (delivery.alert_id, delivery.check_in_round_id, delivery.purpose)
        if key not in self._texts:
            self._texts[key] = sms_text(delivery)
        return self._texts[key]

    def send(self, delivery) -> str:
        if not delivery.to:
            raise ChannelError("no verified mobile number", permanent=True, code="no_number")
        return self.backend.send(
            to=delivery.to, body=self._text(delivery), status_callback=f"{self.callback_url}?d={delivery.id}"
        )

    def find_sent(self, delivery) -> list[str]:
        return self.backend.find_sent(to=delivery.to, body=self._text(delivery))

    def close(self):
        pass
