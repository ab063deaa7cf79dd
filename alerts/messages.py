"""What a delivery says, by SMS or email, rendered from templates."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import checkin_messages
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

# A police warning is written by an officer for everyone it reaches, so its SMS carries the
# message whole, in up to three concatenated segments (3 x 153 = 459 GSM-7 characters): one
# segment leaves about a hundred characters once the link is in, too few to say what, where and
# what to do; three still arrive as one message on every phone, police warnings are rare, and
# each SMS takes the fewest segments its message needs. The police form refuses longer ones.
POLICE_SMS_SEGMENTS = 3
POLICE_MESSAGE_MAX = gsm.capacity(POLICE_SMS_SEGMENTS)


def _render_sms(delivery: Delivery, *, sender: str, category: str, street: str, **extra) -> str:
    alert = delivery.alert
    context = {
        "alert": alert,
        "urgent": alert.urgency == Alert.Urgency.URGENT,
        "confidential": alert.kind == Alert.Kind.NOTICE,
        "sender": sender,
        "category": category,
        "street": street,
        "description": _DESCRIPTION_SLOT,
        "link": short_link(alert),
        **extra,
    }
    rendered = " ".join(render_to_string(SMS_TEMPLATES[delivery.purpose], context).split())
    return _DESCRIPTION_SLOT.join(gsm.to_gsm7(part) for part in rendered.split(_DESCRIPTION_SLOT))


def _fill(rendered: str, description: str) -> str:
    return " ".join(rendered.replace(_DESCRIPTION_SLOT, description).split())


def sms_text(delivery: Delivery) -> str:
    """The SMS for a delivery, in the site's language. A police warning carries its message
    whole; anything else is one GSM-7 segment with its description cut to fit."""
    if delivery.check_in_round_id:
        return checkin_messages.sms_text(delivery)
    with translation.override(settings.LANGUAGE_CODE):
        if delivery.alert.kind != Alert.Kind.MEMBER and delivery.purpose == Delivery.Purpose.ALERT:
            return _police_sms(delivery)
        return _squeezed_sms(delivery)


def _squeezed_sms(delivery: Delivery) -> str:
    """One GSM-7 segment: sender, street, category and description are cut to what is left,
    never the link."""
    alert = delivery.alert
    sender, street = gsm.to_gsm7(sender_name(alert)), gsm.to_gsm7(alert.street)
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
    return _fill(rendered, description)


def police_message(description: str) -> str:
    """A police warning's message as its SMS carries it: in GSM-7, spaces collapsed."""
    return " ".join(gsm.to_gsm7(description).split())


def police_message_length(description: str) -> int:
    """Characters as the network counts them (€ or œ, which becomes oe, count as two)."""
    return gsm.length(police_message(description))


def police_message_max(kind: str | None = None) -> int:
    """What the police may write: a notice's SMS starts with its confidential mark, whatever
    else gives way, so the mark's room is kept."""
    if kind != Alert.Kind.NOTICE:
        return POLICE_MESSAGE_MAX
    with translation.override(settings.LANGUAGE_CODE):
        mark = render_to_string(SMS_TEMPLATES[Delivery.Purpose.ALERT], {"confidential": True})
    return POLICE_MESSAGE_MAX - gsm.length(gsm.to_gsm7(" ".join(mark.split()))) - 1


def police_message_fits(description: str, *, kind: str | None = None) -> bool:
    return police_message_length(description) <= police_message_max(kind) and (
        gsm.segments(police_message(description)) <= POLICE_SMS_SEGMENTS
    )


def police_message_too_long(description: str, *, kind: str | None = None) -> str:
    """What the officer reads when the message cannot be sent whole."""
    return gettext(
        "A police SMS carries the message whole: it can hold %(allowed)d characters, "
        "and this message has %(typed)d. Please shorten it."
    ) % {"allowed": police_message_max(kind), "typed": police_message_length(description)}


def _police_sms(delivery: Delivery) -> str:
    """The message whole, in as few segments as it needs. Around it, from generous to tight:
    the category and the street give way to save a segment, "Police municipale" shortens to
    "Police"; the sender and then the link go only when the message needs every segment."""
    alert = delivery.alert
    message = police_message(alert.description)
    full, short = sender_name(alert), gettext("Police")
    category, street = str(alert.get_category_display()), alert.street
    named = [
        _fill(_render_sms(delivery, sender=sender, category=cat, street=where), message)
        for sender, cat, where in (
            (full, category, street),
            (short, category, street),
            (short, "", street),
            (short, "", ""),
        )
    ]
    fewest = min(named, key=gsm.segments)  # the first, so the most generous, of the shortest
    if gsm.segments(fewest) <= POLICE_SMS_SEGMENTS:
        return fewest
    bare = {"sender": "", "category": "", "street": "", "urgent": False}
    with_link = _render_sms(delivery, **bare)
    for rendered in (with_link, _render_sms(delivery, **bare, link="")):
        text = _fill(rendered, message)
        if gsm.segments(text) <= POLICE_SMS_SEGMENTS:
            return text
    # Only a message longer than the police form allows (posted some other way) gets here.
    room = POLICE_MESSAGE_MAX - gsm.length(with_link.replace(_DESCRIPTION_SLOT, ""))
    while gsm.segments(text := _fill(with_link, gsm.shorten(message, room))) > POLICE_SMS_SEGMENTS:
        room -= 1
    return text


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
    if delivery.check_in_round_id:
        return checkin_messages.email_message(delivery, connection=connection)
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
