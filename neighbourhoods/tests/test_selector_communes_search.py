"""communes_search: find a commune by postcode prefix or by name, however it is typed."""

import pytest

from neighbourhoods.selectors import communes_search
from neighbourhoods.tests.factories import CommuneFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saint_sebastien():
    return CommuneFactory(insee_code="44190", name="Saint-Sébastien-sur-Loire", postcode__code="44230")


@pytest.fixture
def nantes():
    return CommuneFactory(insee_code="44109", name="Nantes", postcode__code="44000")


@pytest.mark.parametrize("query", ["44230", "4423", "442", "44"])
def test_postcode_prefix_finds_the_commune(saint_sebastien, query):
    assert saint_sebastien in communes_search(query)


def test_postcode_prefix_leaves_out_other_postcodes(saint_sebastien, nantes):
    assert list(communes_search("4423")) == [saint_sebastien]


def test_a_commune_with_several_postcodes_appears_once(saint_sebastien):
    PostcodeFactory(commune=saint_sebastien, code="44231")

    assert list(communes_search("4423")) == [saint_sebastien]


def test_the_insee_code_is_not_a_postcode(saint_sebastien):
    assert list(communes_search("44190")) == []


@pytest.mark.parametrize(
    "query",
    [
        "saint sebastien",
        "Saint-Sébastien",
        "SAINT SÉBASTIEN SUR LOIRE",
        "saint-sebastien-sur-loire",
        "  sebastien  ",
        "sébastien-sur",
    ],
)
def test_name_search_ignores_accents_case_and_hyphens(saint_sebastien, nantes, query):
    assert list(communes_search(query)) == [saint_sebastien]


@pytest.mark.parametrize("query", ["", " ", "4", "s", "-", "é"])
def test_too_short_query_returns_nothing(saint_sebastien, query):
    assert list(communes_search(query)) == []


def test_name_search_does_not_treat_percent_as_a_wildcard(saint_sebastien):
    assert list(communes_search("sa%re")) == []


def test_st_and_ste_abbreviations_find_saint_and_sainte():
    from neighbourhoods.selectors import communes_search
    from neighbourhoods.tests.factories import CommuneFactory

    saint = CommuneFactory(name="Saint-Sébastien-sur-Loire")
    sainte = CommuneFactory(name="Sainte-Luce-sur-Loire")
    assert saint in communes_search("st sebastien")
    assert sainte in communes_search("Ste-Luce")
