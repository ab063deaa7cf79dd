from django.conf import settings
from django.urls import reverse

from ..messages import sms_text
from ..sms_backends import get_sms_backend
from . import ChannelError


class SmsChannel:
    def __init__(self):
        self.backend = get_sms_backend()

    def send(self, delivery) -> str:
        if not delivery.to:
            raise ChannelError("no verified mobile number", permanent=True, code="no_number")
        return self.backend.send(
            to=delivery.to,
            body=sms_text(delivery),
            status_callback=f"{settings.SITE_URL}{reverse('alerts:twilio_status')}?d={delivery.id}",
        )

    def find_sent(self, delivery) -> str | None:
        return self.backend.find_sent(to=delivery.to, body=sms_text(delivery))

    def close(self):
        pass
