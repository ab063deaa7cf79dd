"""The house-number rule: a street, never an address (neighbourhoods.text.has_house_number)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from alerts.models import Alert
from alerts.services.publishing import alert_publish
from neighbourhoods.models import Membership
from neighbourhoods.services import membership_request
from neighbourhoods.text import has_house_number

HOUSE_NUMBERS = [
    # before the street
    "12 rue des Tilleuls",
    "12bis rue des Tilleuls",
    "12 bis rue des Tilleuls",
    "3ter avenue Foch",
    "3 quater avenue Foch",
    "7B rue Neuve",
    "7 b rue Neuve",
    "14a allée des Lilas",
    " 4, rue Haute",
    "12-14 rue des Tilleuls",
    "12 rue du 8 Mai 1945",
    "1 avenue de la 2e DB",
    # after the street
    "rue des Tilleuls 12",
    "rue des Tilleuls, 12",
    "rue des Tilleuls,12",
    "rue des Tilleuls 12bis",
    "rue des Tilleuls 12 bis",
    "rue des Tilleuls 12 ter",
    "rue des Tilleuls 12b",
    "allée des Lilas 14",
    "rue du 8 Mai 1945 12",
    "rue du 8 Mai 1945, 12",
    "avenue du 11 Novembre 3",
    "avenue du 11 Novembre 1918 3",
    "RD 723 12",
    # with a number sign, anywhere
    "rue des Tilleuls n°12",
    "rue des Tilleuls n° 12",
    "rue des Tilleuls N°12",
    "rue des Tilleuls nº12",
    "rue des Tilleuls №12",
    "rue des Tilleuls no 12",
    "rue des Tilleuls No12",
    "rue des Tilleuls numéro 12",
    "rue des Tilleuls numero 12",
    "rue des Tilleuls num. 12",
    "rue des Tilleuls #12",
    "n° 12 rue des Tilleuls",
    "N° 12, rue des Tilleuls",
    "No 12 rue des Tilleuls",
    "numéro 12 rue des Tilleuls",
    "n° 8 mai rue des Tilleuls",
    # in the middle, or in other scripts and forms of digits
    "rue des Tilleuls 12 Nantes",
    "résidence les Pins bâtiment 2",
    "bâtiment C 12 rue des Tilleuls",
    "rue des Tilleuls ١٢",
    "rue des Tilleuls １２",
    "rue des Tilleuls ¹²",
    "le 12 rue des Tilleuls",
    "au 12 rue des Tilleuls",
    "rue des Tilleuls12",
    "rue des Tilleuls 12a3",
]

STREET_NAMES = [
    "rue des Tilleuls",
    "rue du 8 Mai 1945",
    "rue du 8-Mai-1945",
    "avenue du 11 Novembre",
    "avenue du 11-Novembre",
    "place du 19 Mars 1962",
    "rue du 4 Septembre",
    "boulevard du 14 Juillet",
    "rue du 11 Novembre 1918",
    "RUE DU 11 NOVEMBRE 1918",
    "avenue du 6 juin 1944",
    "rue du 1er Mai",
    "rue du 1er-Mai",
    "avenue de la 2e DB",
    "avenue de la 2ème DB",
    "rue de la 1re Armée",
    "rue de la 1ère Armée",
    "rue du 93e RI",
    "rue du 19ᵉ Régiment",
    "rue de l'An 2000",
    "route départementale 723",
    "route nationale 7",
    "RD 723",
    "RN 137",
    "D723",
    "route de la D723",
    "D 723",
    "N 137",
    "CD 12",
    "chemin rural n° 12",
    "chemin vicinal 3",
    "voie communale 5",
    "VC 5",
    "A11",
    "rue des 3 Frères",
    "chemin des 2 Ponts",
    "rue des 36 Ponts",
    "résidence les 4 Saisons",
    "rue Louis XIV",
    "allée du Général de Gaulle",
]


@pytest.mark.parametrize("street", HOUSE_NUMBERS)
def test_a_house_number_anywhere_in_the_street_is_found(street):
    assert has_house_number(street)


@pytest.mark.parametrize("street", STREET_NAMES)
def test_numbers_that_belong_to_the_street_name_are_not_a_house_number(street):
    assert not has_house_number(street)


# The rule is the one used wherever a street is given: joining a community, reporting an alert.
TRAILING = ["rue des Tilleuls 12", "rue des Tilleuls, 12", "rue des Tilleuls n°12", "allée des Lilas 14bis"]


@pytest.mark.django_db
@pytest.mark.parametrize("street", TRAILING)
def test_joining_with_a_house_number_after_the_street_is_refused(community, street):
    newcomer = UserFactory(commune=community.neighbourhood.commune)

    with pytest.raises(ValidationError) as excinfo:
        membership_request(user=newcomer, community=community, street=street)

    assert excinfo.value.code == "house_number"
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("street", TRAILING)
def test_an_alert_with_a_house_number_after_the_street_is_not_published(resident, community, street):
    with pytest.raises(ValidationError) as excinfo:
        alert_publish(
            author=resident,
            community_id=community.id,
            category=Alert.Category.values[0],
            urgency=Alert.Urgency.values[0],
            description="Une voiture passe et repasse.",
            street=street,
        )

    assert set(excinfo.value.error_dict) == {"street"}
    assert not Alert.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("street", ["rue du 8 Mai 1945", "avenue du 11 Novembre", "RN 137"])
def test_joining_with_a_street_name_containing_numbers_is_accepted(community, street):
    newcomer = UserFactory(commune=community.neighbourhood.commune)

    assert membership_request(user=newcomer, community=community, street=street).street == street
