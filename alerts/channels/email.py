from smtplib import SMTPException, SMTPRecipientsRefused

from django.core.mail import get_connection

from ..messages import email_message
from .base import ChannelError


class EmailChannel:
    """Sends through Django's email backend, one connection for a whole batch."""

    def __init__(self):
        self.connection = get_connection()
        self._open = False
        self._rendered: dict = {}

    def send(self, delivery) -> str:
        message = email_message(delivery, connection=self.connection, cache=self._rendered)
        try:
            if not self._open:
                # Opened once: otherwise Django's SMTP backend connects and quits around every message.
                self.connection.open()
                self._open = True
            message.send()
        except SMTPRecipientsRefused as error:
            raise ChannelError(f"address refused: {error}", permanent=True, code="refused") from error
        except (SMTPException, OSError) as error:
            raise ChannelError(f"mail server error: {error}", permanent=False, code="smtp") from error
        return message.extra_headers.get("Message-ID", "")

    def find_sent(self, delivery) -> list[str]:
        return []  # a mail server cannot be asked afterwards: the email is sent again

    def close(self):
        if self._open:
            self.connection.close()
            self._open = False
