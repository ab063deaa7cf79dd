"""Every reply to an inbound SMS is one GSM-7 segment, in French and in English, with the
longest community names and site address; and reports are read for house numbers as the
web form reads its street field."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.utils import translation

from alerts.services import inbound_replies as replies
from alerts.services.inbound import mentions_house_number
from alerts.sms_text import SEGMENT_GSM7, fits_one_segment, is_gsm7, length

LONG_COMMUNITY = ("Résidence Les Châtaigniers-Côté Forêt " * 4)[:120]
REPLY_DIR = Path(django_settings.BASE_DIR) / "templates" / "sms" / "replies"
NAMED = {"published", "pending"}


def every_reply() -> dict[str, callable]:
    names = sorted(path.stem for path in REPLY_DIR.glob("*.txt"))
    made = {name: (lambda name=name: replies.render(name)) for name in names}
    for name in NAMED:
        made[name] = lambda name=name: replies.with_community(name, LONG_COMMUNITY)
    made["choose"] = lambda: replies.choose([f"{LONG_COMMUNITY} {n}" for n in range(12)])
    return made


@pytest.fixture
def longest_site(settings):
    settings.SITE_URL = "https://vigilance.saint-sebastien-loire.fr"[:40]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(every_reply()))
def test_every_reply_fits_one_gsm7_segment(settings, longest_site, language, name):
    settings.LANGUAGE_CODE = language
    text = every_reply()[name]()
    assert text and is_gsm7(text), sorted({c for c in text if not is_gsm7(c)})
    assert fits_one_segment(text) and length(text) <= SEGMENT_GSM7, f"{length(text)}: {text!r}"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(every_reply()))
def test_every_reply_is_written_in_gsm7_not_made_so(settings, language, name):
    """The translated text itself is GSM-7 (no ç, ê, typographic apostrophe or no-break
    space): `to_gsm7` is for community names, not for mending a translation."""
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        raw = render_to_string(
            f"sms/replies/{name}.txt", {"community": "A", "choices": "1 A 2 B", "site_url": "B"}
        )
    assert is_gsm7(raw), sorted({c for c in raw if not is_gsm7(c)})


def test_every_reply_template_is_covered():
    assert {path.stem for path in REPLY_DIR.glob("*.txt")} >= NAMED | {"choose", "help", "unknown-number"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_community_question_keeps_every_number_and_the_instruction(settings, language):
    settings.LANGUAGE_CODE = language
    text = replies.choose([f"{LONG_COMMUNITY} {n}" for n in range(12)])
    assert all(f"{n} " in text for n in range(1, 10)) and "10 " not in text
    assert text.endswith(replies.render("choose", choices="").rsplit(" ", 3)[-1])


def test_short_names_are_given_whole(settings):
    settings.LANGUAGE_CODE = "en"
    assert "1 Le Bourg 2 Les Lilas:" in replies.choose(["Le Bourg", "Les Lilas"])
    assert "to Les Lilas." in replies.with_community("published", "Les Lilas")


def test_a_name_outside_gsm7_does_not_turn_the_reply_into_unicode(settings):
    settings.LANGUAGE_CODE = "en"
    text = replies.with_community("published", "Les Voisins 🏡 du Moulin – Łódź")
    assert is_gsm7(text) and "du Moulin - Lodz" in text


@pytest.mark.parametrize(
    "text",
    [
        "cambriolage au 12 rue des Lilas",
        "Voiture garee rue des Lilas 14bis",
        "rodeur n° 3 impasse des Roses",
        "Portail force 12, avenue Jean Jaures",
    ],
)
def test_an_address_with_a_house_number_is_found_in_free_text(text):
    assert mentions_house_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Voiture passee 3 fois rue des Lilas vers 22h",
        "2 hommes rue du 8 Mai, vers 23h",
        "Camion route nationale 137 puis avenue de la 2e DB",
        "Sur place 3 hommes. Rue des Lilas. 4 voitures",
        "3 jeunes sur le parking",
    ],
)
def test_numbers_that_are_not_house_numbers_are_not_refused(text):
    assert not mentions_house_number(text)
