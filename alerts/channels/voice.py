from django.conf import settings
from django.urls import reverse

from ..voice_backends import get_voice_backend
from ..voice_text import alert_call_twiml, check_in_call_twiml
from .base import ChannelError


class VoiceChannel:
    """Calls a verified landline and reads the alert (urgent alerts only). One instance per
    batch; the call's text names the delivery (its key-press is the delivery's receipt), so each
    delivery's TwiML is its own."""

    def __init__(self):
        self.backend = get_voice_backend()
        self.status_url = f"{settings.SITE_URL}{reverse('alerts:voice_status')}"
        self.gather_url = f"{settings.SITE_URL}{reverse('alerts:voice_gather')}"

    def send(self, delivery) -> str:
        if not delivery.to:
            raise ChannelError("no verified landline", permanent=True, code="no_number")
        gather_url = f"{self.gather_url}?d={delivery.id}"
        if delivery.check_in_round_id:
            twiml = check_in_call_twiml(gather_url=gather_url)
        else:
            twiml = alert_call_twiml(delivery.alert, gather_url=gather_url)
        return self.backend.call(
            to=delivery.to, twiml=twiml, status_callback=f"{self.status_url}?d={delivery.id}"
        )

    def find_sent(self, delivery) -> list[str]:
        """The calls placed to the number since the delivery was created: any of them may be
        this delivery's (those another delivery holds are left out by the caller)."""
        return self.backend.find_calls(to=delivery.to, since=delivery.created_at)

    def close(self):
        pass
