"""Every SMS template, rendered with the longest realistic values, is one GSM-7 segment."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from alerts import messages
from alerts.models import Alert, Delivery
from alerts.sms_text import SEGMENT_GSM7, fits_one_segment, is_gsm7, length
from alerts.tests.factories import AlertFactory
from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

ACCENTS = "é è ê à ç ô œ ù â î ï ë û ÿ É È Ê À Ç Ô Œ « » … ’ "
LONG_COMMUNITY = ("Résidence Les Châtaigniers-Côté Forêt " * 4)[:120]
LONG_STREET = ("Chemin de la Croix-Rousse à l’Étang-Brûlé " * 4)[:150]
LONG_DESCRIPTION = (ACCENTS + "Cœur de l’îlot : véhicule garé, hôtel, ça bouge. ")[:60] * 34
SMS_TEMPLATES = sorted(p.name for p in (Path(django_settings.BASE_DIR) / "templates" / "sms").glob("*.txt"))


def test_every_sms_template_is_covered():
    assert set(SMS_TEMPLATES) == {Path(t).name for t in messages.SMS_TEMPLATES.values()}


@pytest.fixture
def worst_case(settings, resident):
    settings.SITE_URL = "https://vigilance.saint-sebastien-loire.fr"[:40]
    assert len(settings.SITE_URL) == 40
    assert len(LONG_COMMUNITY) == 120 and len(LONG_STREET) == 150 and len(LONG_DESCRIPTION[:2000]) == 2000

    def make(kind, category, urgency):
        community = CommunityFactory(name=LONG_COMMUNITY)
        return AlertFactory(
            id=1_234_567,
            kind=kind,
            author=resident,
            commune=community.neighbourhood.commune,
            communities=[community],
            category=category,
            urgency=urgency,
            description=LONG_DESCRIPTION[:2000],
            street=LONG_STREET,
        )

    return make


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("purpose", [Delivery.Purpose.ALERT, Delivery.Purpose.WITHDRAWAL])
@pytest.mark.parametrize("kind", [Alert.Kind.MEMBER, Alert.Kind.POLICE])
@pytest.mark.parametrize("urgency", [Alert.Urgency.URGENT, Alert.Urgency.INFORMATION])
@pytest.mark.parametrize("category", Alert.Category.values)
def test_sms_fits_one_gsm7_segment_with_the_longest_values(
    settings, worst_case, resident, language, purpose, kind, urgency, category
):
    settings.LANGUAGE_CODE = language
    alert = worst_case(kind, category, urgency)
    text = messages.sms_text(
        Delivery(alert=alert, recipient=resident, channel="sms", purpose=purpose, to="+33600000000")
    )
    bad = sorted({c for c in text if not is_gsm7(c)})
    assert is_gsm7(text), f"not GSM-7: {bad!r} in {text!r}"
    assert fits_one_segment(text) and length(text) <= SEGMENT_GSM7, f"{length(text)} characters: {text!r}"
    assert text.endswith("https://vigilance.saint-sebastien-loire.fr"[:40] + "/a/1234567"), text


def test_alert_sms_keeps_as_much_description_as_fits(settings, worst_case, resident):
    settings.LANGUAGE_CODE = "fr"
    alert = worst_case(Alert.Kind.MEMBER, Alert.Category.SUSPICIOUS_VEHICLE, Alert.Urgency.VIGILANCE)
    text = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    assert "..." in text  # the description was cut, not dropped
    assert length(text) >= SEGMENT_GSM7 - 3


def test_a_short_alert_is_sent_whole_with_accents_kept_where_gsm7_has_them(resident, community):
    alert = AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description="Démarcheur très insistant, à pied.",
        street="rue de l’Église",
    )
    text = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    assert "Démarcheur très insistant, à pied." in text
    assert "rue de l'Église" in text
    assert is_gsm7(text)


def test_emoji_and_letters_outside_gsm7_do_not_turn_the_sms_into_unicode(resident):
    """One emoji would make the whole SMS UCS-2: 70 characters a segment, three times the price."""
    community = CommunityFactory(name="Les Voisins 🏡 du Moulin")
    alert = AlertFactory(
        author=resident,
        commune=community.neighbourhood.commune,
        communities=[community],
        description="🚨 Voiture 🚗 immatriculée en Pologne (Łódź), conducteur nerveux – ã õ ı ș ž.",
        street="place Jean‑Jaurès",
    )
    text = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    assert is_gsm7(text), sorted({c for c in text if not is_gsm7(c)})
    assert fits_one_segment(text)
    assert "Voiture" in text and "Lodz" in text and "Jean-Jaurès" in text
