"""An email backend for tests that refuses some messages the way a mail server does, then
hands the rest to Django's locmem outbox. Set `failures` before sending."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

# address -> list of exceptions to raise, one per attempt, before the message goes through
failures: dict[str, list[Exception]] = {}
attempts: list[str] = []


def disconnect() -> Exception:
    return SMTPServerDisconnected("Connection unexpectedly closed")


def refuse(address: str) -> Exception:
    return SMTPRecipientsRefused({address: (550, b"5.1.1 No such user")})


class EmailBackend(LocmemBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                attempts.append(address)
                pending = failures.get(address)
                if pending:
                    raise pending.pop(0)
        return super().send_messages(messages)
