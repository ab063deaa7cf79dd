"""What a call says: the TwiML read aloud to a landline, in French (`<Say language="fr-FR">`).

Every sentence is translatable, English in the source; a call is rendered in French whatever
the language of the request that caused it, because Twilio's French voice reads it. Texts read
aloud are plain: no typographic spaces, no links, digits spaced so that each is read alone.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from twilio.twiml.voice_response import VoiceResponse

from .models import Alert

VOICE_LANGUAGE = "fr"  # the catalogue the call is rendered from
SAY_LANGUAGE = "fr-FR"  # the voice Twilio reads it with
MESSAGE_MAX = 400  # characters of the alert's message read aloud (read twice: about a minute)
GATHER_TIMEOUT = 5  # seconds Twilio waits for a key after the last word


def spaced_digits(code: str) -> str:
    """ "4 0 2 7 1 9": read digit by digit, not as "four hundred and two thousand..."."""
    return " ".join(code)


def shorten_for_voice(text: str, limit: int = MESSAGE_MAX) -> str:
    """The message whole if it is short enough; otherwise cut after its last full sentence
    within `limit` (or at a word when a sentence would leave too little), never mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence_end >= limit // 2:
        return head[: sentence_end + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,;:-") + "…"


def _alert_sentences(alert: Alert) -> list[str]:
    if alert.kind == Alert.Kind.MEMBER:
        who = _("Urgent alert from a neighbour, on Vigilance.")
    else:
        who = _("Urgent alert from the municipal police, on Vigilance.")
    sentences = [who, _("Subject: %(category)s.") % {"category": alert.get_category_display()}]
    if alert.street:
        sentences.append(_("Where: %(street)s.") % {"street": alert.street})
    sentences.append(_("Message: %(message)s") % {"message": shorten_for_voice(alert.description)})
    return sentences


def alert_call_twiml(alert: Alert, *, gather_url: str) -> str:
    """The alert read twice inside a Gather: pressing 1 during either reading, or just after,
    posts the key to `gather_url` (the delivery's acknowledgement)."""
    with translation.override(VOICE_LANGUAGE):
        sentences = _alert_sentences(alert)
        press_one = _("Press 1 to confirm that you heard this message.")
        again = _("I repeat.")
        goodbye = _("In an emergency, call 17. Goodbye.")
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=gather_url, method="POST", timeout=GATHER_TIMEOUT)
    gather.say(" ".join([*sentences, press_one]), language=SAY_LANGUAGE)
    gather.say(" ".join([again, *sentences, press_one]), language=SAY_LANGUAGE)
    response.say(goodbye, language=SAY_LANGUAGE)
    return str(response)


def check_in_call_twiml(*, gather_url: str) -> str:
    """The check-in question, read twice inside a Gather: 1 answers it."""
    with translation.override(VOICE_LANGUAGE):
        question = _("Hello, this is Vigilance, for your check-in. Is everything all right?")
        press_one = _("Press 1 to tell us that all is well.")
        goodbye = _("Goodbye.")
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=gather_url, method="POST", timeout=GATHER_TIMEOUT)
    gather.say(f"{question} {press_one}", language=SAY_LANGUAGE)
    gather.say(f"{question} {press_one}", language=SAY_LANGUAGE)
    response.say(goodbye, language=SAY_LANGUAGE)
    return str(response)


def acknowledged_twiml() -> str:
    with translation.override(VOICE_LANGUAGE):
        thanks = _("Thank you, your confirmation is recorded. Goodbye.")
    response = VoiceResponse()
    response.say(thanks, language=SAY_LANGUAGE)
    response.hangup()
    return str(response)


def press_one_again_twiml(*, gather_url: str) -> str:
    """Another key than 1: the member is asked once more."""
    with translation.override(VOICE_LANGUAGE):
        press_one = _("Press 1 to confirm that you heard this message.")
        goodbye = _("Goodbye.")
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=gather_url, method="POST", timeout=GATHER_TIMEOUT)
    gather.say(press_one, language=SAY_LANGUAGE)
    response.say(goodbye, language=SAY_LANGUAGE)
    return str(response)


def code_call_twiml(code: str) -> str:
    """The verification call: the code, digit by digit, read twice."""
    digits = spaced_digits(code)
    with translation.override(VOICE_LANGUAGE):
        first = _("Hello, this is Vigilance. Your verification code is: %(digits)s.") % {"digits": digits}
        second = _("I repeat, your code is: %(digits)s.") % {"digits": digits}
        goodbye = _("Goodbye.")
    response = VoiceResponse()
    response.say(first, language=SAY_LANGUAGE)
    response.pause(length=1)
    response.say(second, language=SAY_LANGUAGE)
    response.say(goodbye, language=SAY_LANGUAGE)
    return str(response)
