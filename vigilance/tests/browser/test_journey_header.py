"""The header: on a phone a "Menu" button folds the menu, so that the page's title is in the
first screen; on a computer the menu holds on one line; without script the menu is a list.
The emergency banner is inside the header's landmark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.tests.factories import UserFactory
from vigilance.tests.browser_support import DESKTOP, MOBILE, TIMEOUT_MS

from .helpers import snapshot

pytestmark = pytest.mark.browser

MENU = "header [data-menu-button]"
NAV = "header #site-nav"


def violations(page) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]]


@pytest.mark.parametrize(
    "url_name", ["home", "account_login", "account_signup", "neighbourhoods:my_communities"]
)
def test_on_a_phone_the_title_is_in_the_first_screen(new_page, resident, url_name):
    page = new_page(viewport=MOBILE, user=resident if url_name.startswith("neighbourhoods") else None)
    page.goto(reverse(url_name))
    assert page.locator(MENU).is_visible()
    assert not page.locator(NAV).is_visible()
    assert page.locator("main h1").first.bounding_box()["y"] < 200
    assert page.locator("header .emergency a[href='tel:17']").is_visible()


def test_the_phone_menu_opens_and_closes_with_the_keyboard(new_page, resident):
    page = new_page(viewport=MOBILE, user=resident)
    page.goto(reverse("home"))
    page.locator(MENU).focus()
    assert page.get_attribute(MENU, "aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.get_attribute(MENU, "aria-expanded") == "true"
    profile = page.locator(f"{NAV} a[href='{reverse('profile')}']")
    assert profile.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-nav') !== null")
    snapshot(page, "header-menu-open-mobile")
    assert violations(page) == []
    page.keyboard.press("Escape")
    assert page.get_attribute(MENU, "aria-expanded") == "false"
    assert not profile.is_visible()
    assert page.evaluate("document.activeElement.matches('[data-menu-button]')")
    page.keyboard.press("Space")
    assert profile.is_visible()


def test_on_a_computer_the_menu_is_one_line(new_page, resident, community):
    every_link = UserFactory(  # staff, referent and town hall: the longest menu there is
        is_staff=True,
        is_referent=True,
        official_role="mayor_office",
        official_commune=community.neighbourhood.commune,
    )
    for user in (None, resident, every_link):
        page = new_page(viewport=DESKTOP, user=user)
        page.goto(reverse("home"))
        assert not page.locator(MENU).is_visible()
        heights = page.evaluate(
            """() => [...document.querySelectorAll('#site-nav .nav > li')]
                      .map(li => li.getBoundingClientRect())"""
        )
        middles = [box["y"] + box["height"] / 2 for box in heights]
        assert max(middles) - min(middles) < 10, middles  # every item on the same line
        nav = page.locator(f"{NAV} .nav").bounding_box()
        assert nav["height"] < 1.5 * max(box["height"] for box in heights)
        assert page.locator("main h1").first.bounding_box()["y"] < 200
        if user is not every_link:  # the brand and the menu side by side
            brand = page.locator("header .brand").bounding_box()
            assert abs(brand["y"] + brand["height"] / 2 - (nav["y"] + nav["height"] / 2)) < 10
        snapshot(page, f"header-desktop-{user.pk if user else 'visitor'}")
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_the_sign_up_button_has_room_around_its_text(new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(reverse("home"))
    padding = page.locator(f"header a[href='{reverse('account_signup')}']").evaluate(
        "a => parseFloat(getComputedStyle(a).paddingLeft)"
    )
    assert padding >= 8


def test_without_script_the_menu_is_an_open_list(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=MOBILE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(reverse("home"))
        assert page.locator(f"{NAV} a[href='{reverse('account_login')}']").is_visible()
        assert not page.locator(MENU).is_visible()
    finally:
        context.close()


def test_the_pages_with_the_new_header_pass_axe(new_page):
    page = new_page(viewport=MOBILE)
    for url_name in ("home", "account_login", "account_signup"):
        page.goto(reverse(url_name))
        assert violations(page) == [], url_name
