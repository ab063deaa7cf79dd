"""axe-core finds no accessibility violation, of any impact, on any page a resident, a
referent, a police officer or a town hall reaches, the admin included, on a phone and on a
desktop screen (axe-playwright-python runs the axe-core it bundles in Chromium)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.tests.factories import UserFactory
from alerts.tests.factories import AlertFactory
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory
from shop.tests.factories import KitFactory
from vigilance.tests.browser_support import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

AXE = Axe()
NOT_FOUND = "/a-page-that-does-not-exist/"


def violations_on(new_page, user, paths: list[str]) -> list[str]:
    """Every violation on these pages at both widths, one line each (page, width, rule, nodes)."""
    found = []
    for viewport in (MOBILE, DESKTOP):
        page = new_page(viewport=viewport, user=user)
        for path in paths:
            response = page.goto(path)
            expected = 404 if path == NOT_FOUND else 200
            assert response.status == expected, f"{path}: HTTP {response.status}"
            for violation in AXE.run(page).response["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
                found.append(
                    f"{path} @{viewport['width']}px {violation['id']} ({violation['impact']}): {targets}"
                )
    return found


def violations_here(page, label: str) -> list[str]:
    return [
        f"{label} {violation['id']} ({violation['impact']}): "
        f"{[' '.join(map(str, node['target'])) for node in violation['nodes']][:3]}"
        for violation in AXE.run(page).response["violations"]
    ]


@pytest.fixture
def published_alert(community, resident):
    return AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])


def test_visitor_pages_have_no_violation(new_page, community):
    commune = community.neighbourhood.commune
    KitFactory()
    paths = [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("neighbourhoods:commune_search") + "?q=" + commune.name[:4],
        reverse("neighbourhoods:commune", args=[commune.insee_code]),
        reverse("charter"),
        reverse("accessibility"),
        reverse("legal_notice"),
        reverse("privacy"),
        reverse("shop:catalogue"),
        NOT_FOUND,
    ]
    assert violations_on(new_page, None, paths) == []


def test_resident_pages_have_no_violation(new_page, community, resident, published_alert, other_community):
    from shop.tests.helpers import resident_order

    order = resident_order(resident, {KitFactory(): 2}).order
    member = Membership.objects.get(user=resident, community=community)
    neighbour = MembershipFactory(community=community)
    paths = [
        reverse("home"),
        reverse("neighbourhoods:my_communities"),
        reverse("neighbourhoods:community", args=[community.id]),
        reverse("alerts:feed", args=[community.id]),
        reverse("alerts:create", args=[community.id]),
        reverse("alerts:detail", args=[published_alert.id]),
        reverse("neighbourhoods:directory", args=[community.id]),
        reverse("neighbourhoods:member", args=[community.id, neighbour.id]),
        reverse("neighbourhoods:moderation_log", args=[community.id]),
        reverse("neighbourhoods:watch"),
        reverse("neighbourhoods:absence_declare", args=[community.id]),
        reverse("profile"),
        reverse("alerts:notifications"),
        reverse("account_delete"),
        reverse("shop:catalogue"),
        reverse("shop:cart"),
        reverse("shop:orders"),
        reverse("shop:order", args=[order.reference]),
        reverse("neighbourhoods:community_join", args=[other_community.id]),
        reverse("account_change_password"),
        reverse("account_email"),
    ]
    assert member.status == Membership.Status.APPROVED
    assert violations_on(new_page, resident, paths) == []


def test_referent_pages_have_no_violation(
    new_page, community, referent, resident, pending_resident, published_alert
):
    resident_membership = Membership.objects.get(user=resident, community=community)
    paths = [
        reverse("neighbourhoods:referent_home"),
        reverse("neighbourhoods:referent_community", args=[community.id]),
        reverse("neighbourhoods:member_remove", args=[community.id, resident_membership.id]),
        reverse("neighbourhoods:community_edit", args=[community.id]),
        reverse("neighbourhoods:community_create"),
        reverse("neighbourhoods:referent_hand_over", args=[community.neighbourhood.id]),
        reverse("alerts:moderation"),
        reverse("alerts:detail", args=[published_alert.id]),
        reverse("neighbourhoods:moderation_log", args=[community.id]),
        reverse("mfa_index"),
    ]
    assert violations_on(new_page, referent, paths) == []


def test_police_pages_have_no_violation(new_page, community, police_officer, published_alert):
    paths = [
        reverse("admin:index"),
        reverse("admin:alerts_alert_changelist"),
        reverse("admin:alerts_alert_add"),
        reverse("admin:alerts_alert_change", args=[published_alert.id]),
        reverse("alerts:detail", args=[published_alert.id]),
    ]
    assert violations_on(new_page, police_officer, paths) == []


def test_town_hall_pages_have_no_violation(new_page, community, mayor_office, settings):
    from accounts.identity import site_identity_update
    from accounts.models import SiteIdentity

    site_identity_update(
        identity=SiteIdentity(
            pk=1, commune_name="Rezé", commune_insee=community.neighbourhood.commune.insee_code
        )
    )
    KitFactory()
    UserFactory()
    paths = [
        reverse("commune_dashboard", args=[community.neighbourhood.commune.insee_code]),
        reverse("admin:index"),
        reverse("admin:accounts_siteidentity_change", args=[1]),
        reverse("admin:neighbourhoods_neighbourhood_changelist"),
        reverse("admin:neighbourhoods_neighbourhoodreferent_add"),
        reverse("shop:town_hall_order"),
        reverse("shop:town_hall_orders"),
    ]
    assert violations_on(new_page, mayor_office, paths) == []


def test_forms_showing_their_errors_have_no_violation(new_page, community, resident):
    """The pages people see after a mistake: error summaries, fields marked invalid."""
    found = []
    for viewport in (MOBILE, DESKTOP):
        visitor = new_page(viewport=viewport)
        for path in (reverse("account_login"), reverse("account_signup")):
            visitor.goto(path)
            visitor.locator("main form [type=submit]").first.click()
            visitor.wait_for_load_state()
            found += violations_here(visitor, f"{path} (errors) @{viewport['width']}px")
        member = new_page(viewport=viewport, user=resident)
        path = reverse("alerts:create", args=[community.id])
        member.goto(path)
        member.fill("textarea[name=description]", "court")
        member.locator("main form [type=submit]").first.click()
        member.wait_for_load_state()
        found += violations_here(member, f"{path} (errors) @{viewport['width']}px")
    assert found == []


def test_two_factor_pages_have_no_violation(new_page, police_officer, community):
    """The code asked at login, and the set-up of the authenticator app a new referent is sent to."""
    from neighbourhoods.tests.factories import ReferentFactory

    found = []
    for viewport in (MOBILE, DESKTOP):
        page = new_page(viewport=viewport)
        page.goto(reverse("account_login"))
        page.fill("input[name=login]", police_officer.email)
        page.fill("input[name=password]", "correct-horse-battery")
        page.locator("main form [type=submit]").first.click()
        page.wait_for_url(f"**{reverse('mfa_authenticate')}**")
        found += violations_here(page, f"mfa_authenticate @{viewport['width']}px")
        new_referent = ReferentFactory(neighbourhood=community.neighbourhood).user
        page = new_page(viewport=viewport, user=new_referent)
        page.goto(reverse("mfa_activate_totp"))
        found += violations_here(page, f"mfa_activate_totp @{viewport['width']}px")
    assert found == []
