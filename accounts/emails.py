"""Emails the platform sends outside the alert pipeline, and their one retry policy.

Alerts go through deliveries (alerts/), claimed and retried one by one. Every other email
(join requests, moderation, orders, referent appointments, inactive accounts) is sent by a
Celery task decorated with `email_task`, which sends one message to one address: a retry
after a mail-server error sends that message again and no other. allauth's own messages
(address confirmation, password reset) are sent during the request, where the person sees the
error at once and can ask again.
"""

from smtplib import SMTPException, SMTPRecipientsRefused

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .identity import site_identity

# A mail server that refuses or cannot be reached now may accept later (OSError covers
# refused connections, timeouts and resets); a refused address will not.
TRANSIENT_ERRORS = (SMTPException, OSError)
PERMANENT_ERRORS = (SMTPRecipientsRefused,)
EMAIL_RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "dont_autoretry_for": PERMANENT_ERRORS,
    "retry_backoff": 5,  # seconds, doubled on each try: 5, 10, 20, 40, 80 ...
    "retry_backoff_max": 600,  # well below the broker's visibility timeout
    "retry_jitter": True,
    "max_retries": 6,
}


def email_task(func):
    """The task decorator of every email outside the alert pipeline: one policy for all."""
    return shared_task(**EMAIL_RETRY_POLICY)(func)


def send_templated_email(*, to: list[str], template: str, context: dict, headers=None) -> None:
    """Sends templates/emails/<template>-subject.txt, -body.txt and -body.html, now."""
    context = {"site_url": settings.SITE_URL, "site_identity": site_identity(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
