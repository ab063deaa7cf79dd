"""What a delivery says, by SMS or email, rendered from templates."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import sms_text as gsm
from .models import Alert, Delivery

SMS_TEMPLATES = {
    Delivery.Purpose.ALERT: "sms/alert.txt",
    Delivery.Purpose.WITHDRAWAL: "sms/alert-withdrawn.txt",
}
EMAIL_TEMPLATES = {
    Delivery.Purpose.ALERT: "alert",
    Delivery.Purpose.WITHDRAWAL: "alert-withdrawn",
}
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
_DESCRIPTION_SLOT = "\u2063"  # invisible separator: stands for the description while measuring


def short_link(alert: Alert) -> str:
    return settings.SITE_URL + reverse("alerts:short", args=[alert.id])


def sender_name(alert: Alert) -> str:
    if alert.kind != Alert.Kind.MEMBER:
        return gettext("Municipal police")
    community = alert.communities.first()
    return community.name if community else "Vigilance"


def sms_text(delivery: Delivery) -> str:
    """The SMS for a delivery, in one segment: the description is cut to what is left."""
    alert = delivery.alert
    with translation.override(settings.LANGUAGE_CODE):
        rendered = render_to_string(
            SMS_TEMPLATES[delivery.purpose],
            {
                "alert": alert,
                "urgent": alert.urgency == Alert.Urgency.URGENT,
                "sender": gsm.shorten(gsm.to_gsm7(sender_name(alert)), 30),
                "category": alert.get_category_display(),
                "street": gsm.shorten(alert.street, 40),
                "description": _DESCRIPTION_SLOT,
                "link": short_link(alert),
            },
        )
    rendered = gsm.to_gsm7(" ".join(rendered.split()))
    frame = rendered.replace(_DESCRIPTION_SLOT, "")
    budget = gsm.SEGMENT_GSM7 - gsm.length(frame)
    description = gsm.shorten(gsm.to_gsm7(alert.description), max(budget, 0)) if budget > 3 else ""
    text = rendered.replace(_DESCRIPTION_SLOT, description)
    return " ".join(text.split())


def unsubscribe_url(user_id: int) -> str:
    token = signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("alerts:unsubscribe", args=[token])


def email_message(delivery: Delivery, *, connection=None) -> EmailMultiAlternatives:
    alert = delivery.alert
    name = EMAIL_TEMPLATES[delivery.purpose]
    context = {
        "alert": alert,
        "delivery": delivery,
        "sender": sender_name(alert),
        "link": short_link(alert),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(delivery.recipient_id) if delivery.recipient_id else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    headers = {"Message-ID": make_msgid(domain="vigilance")}
    if context["unsubscribe_url"]:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, text, to=[delivery.to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message
