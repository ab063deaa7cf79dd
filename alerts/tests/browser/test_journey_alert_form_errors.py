"""The alert form shows every mistake at once, the house number included; the categories'
error is tied to their fieldset; the emergency numbers are given once on the page; the
delivery table of an alert scrolls with the keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from alerts.models import Alert
from alerts.tests.factories import AlertFactory
from vigilance.tests.browser.helpers import form_with, snapshot, submit

pytestmark = pytest.mark.browser


def violations(page) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]]


def test_every_error_of_the_alert_form_shows_in_one_round(new_page, community, resident):
    page = new_page(user=resident)
    page.goto(reverse("alerts:create", args=[community.id]))
    assert page.locator("a[href='tel:17']").count() == 1  # the page's reminder, not the banner too
    assert page.locator("a[href='tel:112']").count() == 1
    assert violations(page) == []
    page.check("input[name=urgency][value=vigilance]")
    page.fill("input[name=street]", "12 rue des Lilas")  # no category, no description, a house number
    submit(page, form_with(page, "textarea[name=description]"))

    summary = page.locator("main [role=alert][data-error-summary]")
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    for anchor in ("#id_category_0", "#id_description", "#id_street"):
        assert summary.locator(f"a[href='{anchor}']").count() == 1, anchor
    assert page.locator("#id_street_error").is_visible()
    categories = page.locator("fieldset:has(input[name=category])")
    assert "id_category_error" in categories.get_attribute("aria-describedby").split()
    assert categories.get_attribute("aria-invalid") == "true"
    summary.locator("a[href='#id_category_0']").click()
    assert page.evaluate("document.activeElement.name") == "category"
    snapshot(page, "alert-form-every-error")
    assert violations(page) == []
    assert not Alert.objects.exists()


def test_the_delivery_table_is_a_region_the_keyboard_can_scroll(new_page, community, resident):
    alert = AlertFactory(author=resident, commune=community.neighbourhood.commune, communities=[community])
    page = new_page(user=resident)
    page.goto(reverse("alerts:detail", args=[alert.id]))
    region = page.locator("main .table-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # on a phone, wider than the screen
    for _ in range(20):  # the keyboard scrolls smoothly: a few frames
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(50)
        if region.evaluate("el => el.scrollLeft") > 0:
            break
    assert region.evaluate("el => el.scrollLeft") > 0
    assert violations(page) == []


def test_the_notifications_page_groups_its_choices(new_page, resident):
    page = new_page(user=resident)
    page.goto(reverse("alerts:notifications"))
    for name in ("sms_enabled", "urgent_sms", "quiet_hours_start"):
        legend = page.locator(f"fieldset.field-group:has([name={name}]) > legend")
        assert legend.is_visible(), name
    assert violations(page) == []
    page.fill("input[name=quiet_hours_start]", "22:00")  # without its end: the form's own error
    submit(page, form_with(page, "input[name=quiet_hours_start]"))
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    for name in ("quiet_hours_start", "quiet_hours_end"):
        assert page.get_attribute(f"input[name={name}]", "aria-invalid") == "true"
    snapshot(page, "notifications-quiet-hours-error")
    assert violations(page) == []
