"""Every check-in SMS is one GSM-7 segment, in French and English, whatever the name and what
the resident shares; the call reads the question in French, and 1 answers it."""

from datetime import datetime

import pytest
from django.utils import timezone, translation

from alerts import checkin_messages
from alerts.checkin_models import CheckIn, CheckInRound
from alerts.sms_text import SEGMENT_GSM7, is_gsm7, length
from alerts.tests.checkin_support import member_of
from alerts.voice_text import check_in_call_twiml

pytestmark = pytest.mark.django_db
LONG_NAME = "Marie-Thérèse-Éléonore " * 4
LONG_SHARED = "J'ai un problème cardiaque ; la clé est chez Mme Lefèvre, au bout de la rue, sonnez fort. " * 3


@pytest.fixture
def long_round(community, settings):
    settings.SITE_URL = "https://vigilance.saint-sebastien-loire.fr"[:40]
    resident = member_of(community, first_name=LONG_NAME, last_name=LONG_NAME)
    check_in = CheckIn.objects.create(
        resident=resident, weekdays=127, hour=datetime(2026, 1, 1, 10).time(), shared_text=LONG_SHARED[:200]
    )
    return CheckInRound.objects.create(
        check_in=check_in, scheduled_for=timezone.make_aware(datetime(2026, 12, 7, 10, 0)), id=987654
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_check_in_sms_is_one_gsm7_segment(settings, long_round, language):
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        for text in (checkin_messages.question_sms(long_round), checkin_messages.missed_sms(long_round)):
            assert is_gsm7(text) and length(text) <= SEGMENT_GSM7, text
    assert checkin_messages.round_link(long_round.id) in checkin_messages.missed_sms(long_round)


def test_the_missed_sms_keeps_a_short_shared_text_whole(community, settings):
    resident = member_of(community, first_name="Jeanne", last_name="Moreau")
    check_in = CheckIn.objects.create(
        resident=resident, weekdays=1, hour=datetime(2026, 1, 1, 9).time(), shared_text="Clé chez M. Petit"
    )
    round_ = CheckInRound.objects.create(check_in=check_in, scheduled_for=timezone.now())
    assert "Clé chez M. Petit" in checkin_messages.missed_sms(round_)


def test_the_call_reads_the_question_in_french_and_gathers_one_key():
    twiml = check_in_call_twiml(gather_url="https://example.org/g?d=1")
    assert twiml.count('<Say language="fr-FR">') >= 2 and 'numDigits="1"' in twiml
