"""What a delivery says, by SMS or email, rendered from templates."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import get_template, render_to_string
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


def load_templates() -> None:
    """Imports the URLs and compiles every message template ahead of the first alert."""
    reverse("alerts:twilio_status")
    with translation.override(settings.LANGUAGE_CODE):
        for name in SMS_TEMPLATES.values():
            get_template(name)
        for name in EMAIL_TEMPLATES.values():
            for part in ("subject.txt", "body.txt", "body.html"):
                get_template(f"emails/{name}-{part}")


def short_link(alert: Alert) -> str:
    return settings.SITE_URL + reverse("alerts:short", args=[alert.id])


def sender_name(alert: Alert) -> str:
    if alert.kind != Alert.Kind.MEMBER:
        return gettext("Municipal police")
    community = alert.communities.first()
    return community.name if community else "Vigilance"


# Room for the sender and the street, and the least description worth keeping, from generous
# to tight: the sender (the community's name) gives way first, the street (where) last, and the
# link never, so that the text stays one segment whatever the lengths.
_SMS_SQUEEZE = ((30, 40, 40), (12, 40, 30), (12, 24, 20), (12, 24, 0), (8, 0, 0))


def _render_sms(delivery: Delivery, *, sender: str, category: str, street: str) -> str:
    alert = delivery.alert
    rendered = render_to_string(
        SMS_TEMPLATES[delivery.purpose],
        {
            "alert": alert,
            "urgent": alert.urgency == Alert.Urgency.URGENT,
            "sender": sender,
            "category": category,
            "street": street,
            "description": _DESCRIPTION_SLOT,
            "link": short_link(alert),
        },
    )
    rendered = " ".join(rendered.split())
    return _DESCRIPTION_SLOT.join(gsm.to_gsm7(part) for part in rendered.split(_DESCRIPTION_SLOT))


def sms_text(delivery: Delivery) -> str:
    """The SMS for a delivery, in one GSM-7 segment: sender, street, category and description
    are cut to what is left, never the link."""
    alert = delivery.alert
    sender, street = gsm.to_gsm7(sender_name(alert)), gsm.to_gsm7(alert.street)
    with translation.override(settings.LANGUAGE_CODE):
        category = gsm.to_gsm7(str(alert.get_category_display()))
        for sender_room, street_room, least_description in _SMS_SQUEEZE:
            parts = {
                "sender": gsm.shorten(sender, sender_room),
                "category": category,
                "street": gsm.shorten(street, street_room) if street_room else "",
            }
            rendered = _render_sms(delivery, **parts)
            needed = least_description if _DESCRIPTION_SLOT in rendered else 0
            budget = gsm.SEGMENT_GSM7 - gsm.length(rendered.replace(_DESCRIPTION_SLOT, ""))
            if budget >= needed:
                break
        if budget < 0:  # only a very long translated category can get here
            parts["category"] = gsm.shorten(category, max(gsm.length(category) + budget, 3))
            rendered = _render_sms(delivery, **parts)
            budget = gsm.SEGMENT_GSM7 - gsm.length(rendered.replace(_DESCRIPTION_SLOT, ""))
    description = gsm.shorten(gsm.to_gsm7(alert.description), budget) if budget > 3 else ""
    text = rendered.replace(_DESCRIPTION_SLOT, description)
    return " ".join(text.split())


def unsubscribe_url(user_id: int) -> str:
    token = signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("alerts:unsubscribe", args=[token])


_UNSUBSCRIBE_SLOT = "vigilance-unsubscribe-url-slot"  # stands for each recipient's own link


def _email_content(delivery: Delivery, unsubscribe: str) -> tuple[str, str, str]:
    alert = delivery.alert
    name = EMAIL_TEMPLATES[delivery.purpose]
    context = {
        "alert": alert,
        "sender": sender_name(alert),
        "link": short_link(alert),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def email_message(
    delivery: Delivery, *, connection=None, cache: dict | None = None
) -> EmailMultiAlternatives:
    """The alert's email for one recipient. With `cache` (one per batch), the templates are
    rendered once per alert and only each recipient's unsubscribe link differs."""
    personal_unsubscribe = unsubscribe_url(delivery.recipient_id) if delivery.recipient_id else ""
    if cache is None or not personal_unsubscribe:
        subject, text, html = _email_content(delivery, personal_unsubscribe)
    else:
        key = (delivery.alert_id, delivery.purpose)
        if key not in cache:
            cache[key] = _email_content(delivery, _UNSUBSCRIBE_SLOT)
        subject, text, html = (part.replace(_UNSUBSCRIBE_SLOT, personal_unsubscribe) for part in cache[key])
    headers = {"Message-ID": make_msgid(domain="vigilance")}
    if personal_unsubscribe:
        headers["List-Unsubscribe"] = f"<{personal_unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, text, to=[delivery.to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message
