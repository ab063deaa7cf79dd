"""The `of_name` filter: "Alerts of <name>" as each language writes it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.templatetags.names import french_of, of_name


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Autour de l'église", "d'Autour de l'église"),
        ("Les Lilas", "des Lilas"),
        ("Le Moulin", "du Moulin"),
        ("La Roche", "de La Roche"),
        ("L'Étang", "de L'Étang"),
        ("Écoles", "d'Écoles"),
        ("Hôtel de Ville", "d'Hôtel de Ville"),
        ("Hameau du Bois", "de Hameau du Bois"),  # an aspirated h is not elided
        ("Yvetot", "d'Yvetot"),
        ("Yaourt", "de Yaourt"),  # a y before a vowel is a consonant
        ("Lesquin", "de Lesquin"),  # an article is a whole word
        ("Centre-bourg", "de Centre-bourg"),
        ("  Les   Lilas ", "des Lilas"),
        ("", ""),
    ],
)
def test_french_contracts_and_elides_de_before_a_name(name, expected):
    assert french_of(name) == expected


def test_the_filter_follows_the_active_language():
    with translation.override("fr"):
        assert of_name("Les Lilas") == "des Lilas"
        assert of_name("Autour de l'église") == "d'Autour de l'église"
    with translation.override("en"):
        assert of_name("Les Lilas") == "of Les Lilas"
        assert of_name("Autour de l'église") == "of Autour de l'église"


def test_in_a_template_the_name_stays_escaped():
    template = Template("{% load names %}{{ name|of_name }}")
    with translation.override("fr"):
        assert template.render(Context({"name": "Les <b>Lilas</b>"})) == "des &lt;b&gt;Lilas&lt;/b&gt;"
