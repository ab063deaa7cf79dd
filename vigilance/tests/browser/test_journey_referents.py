"""Journey 5: the town hall names a referent in the admin; the referent creates a community
and hands their role over."""

import pytest
from django.urls import reverse

from accounts.tests.factories import totp_code
from neighbourhoods.models import Community, NeighbourhoodReferent
from neighbourhoods.tests.factories import MembershipFactory, NeighbourhoodFactory

from .helpers import DESKTOP, PASSWORD, form_with, log_in, path_of, submit, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def places(community, other_community):
    """The commune's neighbourhood with `community`, another one of the commune, and a
    neighbourhood of another commune."""
    commune = community.neighbourhood.commune
    return {
        "mine": community.neighbourhood,
        "same_commune": NeighbourhoodFactory(commune=commune, name="Le Douet"),
        "elsewhere": other_community.neighbourhood,
    }


def set_up_authenticator_app(page) -> None:
    """Does what a person does with their phone: reads the secret, types the app's code."""
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    submit(page, form_with(page, "input[name=code]"))
    assert not path_of(page).startswith(reverse("mfa_activate_totp"))


def option_values(page, select):
    return {v for v in page.locator(f"{select} option").evaluate_all("els => els.map(e => e.value)") if v}


def test_town_hall_names_a_referent_who_creates_a_community_and_hands_over(
    new_page, mayor_office, places, community, resident, outsider
):
    successor = MembershipFactory(community=community, street="rue des Roses").user
    town_hall = new_page(viewport=DESKTOP)
    # The admin signs in through the site's login, with the two-factor step.
    town_hall.goto(reverse("admin:login"))
    assert path_of(town_hall).startswith(reverse("account_login"))
    log_in(town_hall, mayor_office.email, next_url=reverse("admin:index"))
    assert path_of(town_hall) == reverse("admin:index")

    town_hall.goto(reverse("admin:neighbourhoods_neighbourhood_changelist"))
    listed = town_hall.locator("#result_list tbody th").all_inner_texts()
    assert sorted(listed) == sorted([places["mine"].name, places["same_commune"].name])

    town_hall.goto(reverse("admin:neighbourhoods_neighbourhoodreferent_add"))
    assert option_values(town_hall, "#id_neighbourhood") == {
        str(places["mine"].id),
        str(places["same_commune"].id),
    }
    residents_offered = option_values(town_hall, "#id_user")
    assert str(resident.id) in residents_offered
    assert str(outsider.id) not in residents_offered
    town_hall.select_option("#id_neighbourhood", str(places["mine"].id))
    town_hall.select_option("#id_user", str(resident.id))
    submit(town_hall, town_hall.locator("form#neighbourhoodreferent_form"), "input[name=_save]")
    role = NeighbourhoodReferent.objects.get(user=resident)
    assert (role.neighbourhood, role.appointed_by) == (places["mine"], mayor_office)

    page = new_page()
    log_in(page, resident.email)
    # A new referent must set up two-factor sign-in before using the role.
    page.goto(reverse("neighbourhoods:community_create"))
    if path_of(page).startswith(reverse("account_reauthenticate")):  # allauth asks the password again
        page.fill("input[name=password]", PASSWORD)
        submit(page, form_with(page, "input[name=password]"))
    assert path_of(page).startswith(reverse("mfa_activate_totp"))
    set_up_authenticator_app(page)
    page.goto(reverse("neighbourhoods:community_create"))
    assert unlabelled_fields(page) == []
    assert option_values(page, "#id_neighbourhood") == {str(places["mine"].id)}
    page.select_option("#id_neighbourhood", str(places["mine"].id))
    page.fill("#id_name", "Bords de Loire")
    page.fill("#id_description", "Les quais et les rues qui y descendent.")
    page.fill("#id_rules", "Des faits, jamais d'apparence.")
    submit(page, form_with(page, "#id_name"))
    created = Community.objects.get(name="Bords de Loire")
    assert (created.neighbourhood, created.created_by) == (places["mine"], resident)
    assert path_of(page) == reverse("neighbourhoods:referent_community", args=[created.id])

    page.goto(reverse("neighbourhoods:referent_home"))
    hand_over_url = reverse("neighbourhoods:referent_hand_over", args=[places["mine"].id])
    with page.expect_navigation():
        page.click(f"main a[href='{hand_over_url}']")
    assert unlabelled_fields(page) == []
    assert str(successor.id) in option_values(page, "#id_successor")
    page.select_option("#id_successor", str(successor.id))
    submit(page, form_with(page, "#id_successor"))
    assert list(
        NeighbourhoodReferent.objects.filter(neighbourhood=places["mine"]).values_list("user", flat=True)
    ) == [successor.id]
    assert page.goto(reverse("neighbourhoods:referent_community", args=[created.id])).status == 404
