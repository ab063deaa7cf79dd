"""Journey: a member whose mobile number is not verified reads on the home page that alerts
will not reach them by SMS, follows the link, verifies the number, and the notice is gone."""

import re

import pytest
from django.urls import reverse

from .helpers import path_of, submit

pytestmark = pytest.mark.browser


def test_a_member_with_an_unverified_number_is_told_on_the_home_page_until_verified(
    new_page, resident, sms_outbox
):
    resident.phone_verified_at = None
    resident.save(update_fields=["phone_verified_at"])
    page = new_page(user=resident)
    page.goto(reverse("home"))
    notice = page.locator("main [data-notice='sms-unverified']")
    assert notice.count() == 1
    with page.expect_navigation():
        notice.locator(f"a[href='{reverse('alerts:notifications')}']").click()
    assert path_of(page) == reverse("alerts:notifications")

    submit(page, page.locator(f"form[action='{reverse('alerts:phone_code_send')}']"))
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["body"]).group(1)
    form = page.locator(f"form[action='{reverse('alerts:phone_code_confirm')}']")
    form.locator("input[name=code]").fill(code)
    submit(page, form)
    resident.refresh_from_db()
    assert resident.phone_verified_at is not None

    page.goto(reverse("home"))
    assert page.locator("main [data-notice]").count() == 0
