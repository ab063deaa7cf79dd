"""Every SMS template, rendered with the longest realistic values, fits its budget: one GSM-7
segment, or for a police warning its message whole in at most three."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext

from alerts import messages
from alerts.models import Alert, Delivery
from alerts.sms_text import SEGMENT_GSM7, fits_one_segment, is_gsm7, length, segments
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
@pytest.mark.parametrize(
    "kind, purpose",
    [
        (Alert.Kind.MEMBER, Delivery.Purpose.ALERT),
        (Alert.Kind.MEMBER, Delivery.Purpose.WITHDRAWAL),
        (Alert.Kind.POLICE, Delivery.Purpose.WITHDRAWAL),
        (Alert.Kind.NOTICE, Delivery.Purpose.WITHDRAWAL),
    ],
)
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


def test_segments_are_counted_as_the_network_counts_them():
    assert [segments("a" * n) for n in (1, 160, 161, 306, 307, 459, 460)] == [1, 1, 2, 2, 3, 3, 4]
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # an extended character counts twice
    assert segments("a" * 152 + "€" + "a" * 152) == 3  # and is never split across two segments
    assert messages.POLICE_MESSAGE_MAX == 459


def longest_police_message() -> str:
    """The longest message the police form accepts, made of the accents GSM-7 lacks."""
    text = ""
    for char in LONG_DESCRIPTION:
        if messages.police_message_length(text + char) > messages.POLICE_MESSAGE_MAX:
            break
        text += char
    assert messages.police_message_fits(text)
    assert not messages.police_message_fits(text + "xyz")
    return text.strip()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("urgency", [Alert.Urgency.URGENT, Alert.Urgency.INFORMATION])
@pytest.mark.parametrize("category", Alert.Category.values)
def test_the_longest_police_message_goes_whole_within_three_segments(
    settings, worst_case, resident, language, urgency, category
):
    settings.LANGUAGE_CODE = language
    alert = worst_case(Alert.Kind.POLICE, category, urgency)
    alert.description = longest_police_message()
    text = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    assert is_gsm7(text), sorted({c for c in text if not is_gsm7(c)})
    assert segments(text) <= messages.POLICE_SMS_SEGMENTS
    assert text == messages.police_message(alert.description)  # no room for anything else


def test_a_police_message_longer_than_the_form_allows_is_cut_rather_than_sent_in_more_segments(
    worst_case, resident
):
    """The police form refuses such a message; one published another way still costs three."""
    alert = worst_case(Alert.Kind.POLICE, Alert.Category.OTHER, Alert.Urgency.URGENT)
    text = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    assert segments(text) == messages.POLICE_SMS_SEGMENTS and "..." in text
    assert text.endswith("https://vigilance.saint-sebastien-loire.fr"[:40] + "/a/1234567")


def police_sms(description, *, settings, **fields) -> str:
    """The SMS of a police warning not saved yet, as the confirmation step renders it."""
    settings.SITE_URL = "https://vigilance.example.fr"
    fields = {"category": Alert.Category.BURGLARY, "street": "avenue de la Gare", **fields}
    alert = Alert(id=4321, kind=Alert.Kind.POLICE, description=description, **fields)
    return messages.sms_text(Delivery(alert=alert, channel="sms", to="+33600000000"))


LINK = "https://vigilance.example.fr/a/4321"


def test_a_short_police_warning_names_the_police_category_and_street(settings):
    text = police_sms("Fermez vos portes.", settings=settings)
    named = "Police municipale: Cambriolage ou tentative de cambriolage, avenue de la Gare."
    assert text == f"{named} Fermez vos portes. {LINK}"


def test_the_prefix_category_and_street_give_way_to_keep_the_police_message_whole_in_one_segment(settings):
    message = (
        "Trois cambriolages rue des Lilas cette nuit : fermez portes et fenêtres, "
        "signalez tout véhicule qui repasse au 17."
    )
    text = police_sms(message, settings=settings)
    assert text == f"Police: {messages.police_message(message)} {LINK}"
    assert "fenetres" in text and segments(text) == 1


def test_a_long_police_message_takes_another_segment_rather_than_being_cut(settings):
    message = (
        "Série de cambriolages ce week-end dans le quartier de la Gare : trois caves forcées, deux "
        "garages visités en plein après-midi. Fermez à clé portes, fenêtres et portails même pour "
        "une courte absence, et appelez le 17 si vous voyez quelqu'un forcer une porte."
    )
    text = police_sms(message, settings=settings)
    assert messages.police_message(message) in text and "..." not in text
    assert text.startswith("Police") and text.endswith(LINK)
    assert segments(text) == 2


def test_a_police_message_that_needs_every_segment_drops_the_prefix_then_the_link(settings):
    message = "Fermez vos portes et vos fenêtres. " * 12  # 419 characters once trimmed
    text = police_sms(message, settings=settings)
    assert text == f"{messages.police_message(message)} {LINK}"
    text = police_sms(message + "Merci.", settings=settings)
    assert text == messages.police_message(message + "Merci.")


def test_a_police_message_with_accents_is_sent_in_gsm7(settings):
    message = (
        "Démarcheurs « agents des eaux » à Saint\u2011Sébastien\u202f: n’ouvrez pas, "
        "même âgés\u00a0; cœur du bourg, côté église…"
    )
    text = police_sms(message, settings=settings, street="")
    expected = (
        'Démarcheurs " agents des eaux " à Saint-Sébastien : n\'ouvrez pas, '
        "meme agés ; coeur du bourg, coté église..."
    )
    assert expected in text
    assert is_gsm7(text) and segments(text) == 1


def confidential_mark() -> str:
    return messages.gsm.to_gsm7(gettext("Confidential"))


def test_a_notice_sms_says_first_that_it_is_confidential(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://vigilance.example.fr"
    alert = Alert(id=4321, kind=Alert.Kind.NOTICE, category=Alert.Category.BURGLARY, description="Rôdeurs.")
    text = messages.sms_text(Delivery(alert=alert, channel="sms", to="+33600000000"))
    assert text.startswith("Confidential - ") and text.endswith(LINK) and segments(text) == 1


def test_a_warning_sms_is_not_marked_confidential(settings):
    settings.LANGUAGE_CODE = "en"
    assert "Confidential" not in police_sms("Fermez vos portes.", settings=settings)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("urgency", [Alert.Urgency.URGENT, Alert.Urgency.INFORMATION])
def test_the_longest_notice_goes_whole_within_three_segments_after_its_mark(
    settings, worst_case, resident, language, urgency
):
    settings.LANGUAGE_CODE = language
    allowed = messages.police_message_max(Alert.Kind.NOTICE)
    text = ""
    for char in LONG_DESCRIPTION:
        if messages.police_message_length(text + char) > allowed:
            break
        text += char
    text = text.strip()
    assert messages.police_message_fits(text, kind=Alert.Kind.NOTICE)
    assert not messages.police_message_fits(text + "xyz", kind=Alert.Kind.NOTICE)
    alert = worst_case(Alert.Kind.NOTICE, Alert.Category.BURGLARY, urgency)
    alert.description = text
    sms = messages.sms_text(Delivery(alert=alert, recipient=resident, channel="sms", to="+33600000000"))
    with translation.override(language):
        mark = confidential_mark()
    assert is_gsm7(sms) and segments(sms) <= messages.POLICE_SMS_SEGMENTS
    assert sms == f"{mark} - {messages.police_message(text)}"  # the mark stays, the message whole


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_notice_sms_with_the_longest_values_keeps_its_mark_in_one_segment_when_withdrawn(
    settings, worst_case, resident, language
):
    settings.LANGUAGE_CODE = language
    alert = worst_case(Alert.Kind.NOTICE, Alert.Category.BURGLARY, Alert.Urgency.URGENT)
    purpose = Delivery.Purpose.WITHDRAWAL
    sms = messages.sms_text(
        Delivery(alert=alert, recipient=resident, channel="sms", purpose=purpose, to="+33600000000")
    )
    with translation.override(language):
        assert sms.startswith(f"{confidential_mark()} - ")
    assert fits_one_segment(sms)
