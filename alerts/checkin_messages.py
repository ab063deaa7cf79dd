"""What a check-in's messages say: the question to the resident (SMS or call), and the notice
of a missed round to the neighbours named and the referents, by SMS and email. A notice carries
the resident's name, the time, what they chose to share and a link to the round's page: nothing
else. Every SMS is one GSM-7 segment, what the resident shares cut to what is left."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import sms_text as gsm
from .checkin_models import CheckInRound

QUESTION_SMS = "sms/check-in/question.txt"
MISSED_SMS = "sms/check-in/missed.txt"
MISSED_EMAIL = "check-in-missed"
NAME_ROOM = 30
_SHARED_SLOT = "\u2063"  # stands for the shared text while measuring


def round_link(round_id: int) -> str:
    return settings.SITE_URL + reverse("alerts:check_in_short", args=[round_id])


def _round_of(delivery) -> CheckInRound:
    return CheckInRound.objects.select_related("check_in__resident").get(id=delivery.check_in_round_id)


def _context(round_: CheckInRound) -> dict:
    resident = round_.check_in.resident
    return {
        "name": resident.get_full_name() or resident.email,
        "hour": f"{timezone.localtime(round_.scheduled_for):%H:%M}",
        "shared": round_.check_in.shared_text,
        "link": round_link(round_.id),
    }


def _render(template: str, context: dict) -> str:
    return " ".join(render_to_string(template, context).split())


def question_sms(round_: CheckInRound) -> str:
    """The date and time in the text make each round's SMS its own: the provider is asked
    for this very text before a re-send, and another day's question is never taken for it."""
    context = _context(round_)
    context["day"] = f"{timezone.localtime(round_.scheduled_for):%d/%m}"
    with translation.override(settings.LANGUAGE_CODE):
        return gsm.to_gsm7(_render(QUESTION_SMS, context))


def missed_sms(round_: CheckInRound) -> str:
    context = _context(round_)
    context["name"] = gsm.shorten(gsm.to_gsm7(context["name"]), NAME_ROOM)
    with translation.override(settings.LANGUAGE_CODE):
        rendered = _render(MISSED_SMS, {**context, "shared": _SHARED_SLOT})
    rendered = _SHARED_SLOT.join(gsm.to_gsm7(part) for part in rendered.split(_SHARED_SLOT))
    budget = gsm.SEGMENT_GSM7 - gsm.length(rendered.replace(_SHARED_SLOT, ""))
    shared = gsm.shorten(gsm.to_gsm7(context["shared"]), budget) if budget > 3 else ""
    return " ".join(rendered.replace(_SHARED_SLOT, shared).split())


def sms_text(delivery) -> str:
    round_ = _round_of(delivery)
    return question_sms(round_) if delivery.purpose == delivery.Purpose.CHECK_IN else missed_sms(round_)


def email_message(delivery, *, connection=None) -> EmailMultiAlternatives:
    context = _context(_round_of(delivery))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render(f"emails/{MISSED_EMAIL}-subject.txt", context)
        text = render_to_string(f"emails/{MISSED_EMAIL}-body.txt", context)
        html = render_to_string(f"emails/{MISSED_EMAIL}-body.html", context)
    headers = {"Message-ID": make_msgid(domain="vigilance")}
    message = EmailMultiAlternatives(subject, text, to=[delivery.to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message
