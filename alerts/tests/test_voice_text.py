"""What a call reads aloud: the alert twice inside a Gather, the code digit by digit, within
Twilio's 4,000 characters for inline TwiML."""

import re

from alerts.models import Alert
from alerts.voice_text import (
    acknowledged_twiml,
    alert_call_twiml,
    code_call_twiml,
    shorten_for_voice,
    spaced_digits,
)

TWIML_MAX = 4000  # Twilio refuses a longer `Twiml` parameter


def test_a_short_message_is_read_whole():
    assert shorten_for_voice("  Une voiture   grise. ") == "Une voiture grise."


def test_a_long_message_is_cut_after_its_last_whole_sentence():
    text = "Première phrase assez longue pour compter. " * 30
    cut = shorten_for_voice(text, limit=120)
    assert cut.endswith("compter.") and len(cut) <= 120


def test_a_long_message_without_sentences_is_cut_at_a_word():
    cut = shorten_for_voice("mot " * 200, limit=50)
    assert cut.endswith("mot…") and len(cut) <= 51


def test_the_code_is_spaced_to_be_read_digit_by_digit_twice():
    assert spaced_digits("040719") == "0 4 0 7 1 9"
    twiml = code_call_twiml("040719")
    says = re.findall(r'<Say language="fr-FR">(.*?)</Say>', twiml)
    assert len([s for s in says if "0 4 0 7 1 9" in s]) == 2


def test_even_the_longest_police_warning_fits_twilios_limit():
    alert = Alert(kind=Alert.Kind.POLICE, category="scam", description="é" * 2000, street="r" * 150)
    twiml = alert_call_twiml(
        alert, gather_url="https://vigilance.example.fr/webhooks/twilio/voice/gather/?d=1"
    )
    assert len(twiml) < TWIML_MAX
    gather = twiml.split("<Gather", 1)[1].split("</Gather>", 1)[0]
    assert gather.count('<Say language="fr-FR">') == 2
    assert 'numDigits="1"' in twiml and 'method="POST"' in twiml
    assert "&amp;" not in gather.split(">", 1)[0]  # the action URL has one parameter


def test_the_thanks_hangs_up():
    assert acknowledged_twiml().endswith("<Hangup /></Response>")
