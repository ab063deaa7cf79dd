"""Journey 5: a member proves they own their mobile number with a code sent by SMS."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.tests.browser.helpers import path_of, snapshot, submit, unlabelled_fields

from .steps import sms_to

pytestmark = pytest.mark.browser


def test_member_verifies_their_number_with_the_code_received_by_sms_after_a_wrong_one(new_page, community):
    member = MembershipFactory(community=community, user=UserFactory(phone_verified_at=None)).user
    page = new_page(user=member)
    page.goto(reverse("alerts:notifications"))
    confirm_form = page.locator(f"form[action='{reverse('alerts:phone_code_confirm')}']")
    assert confirm_form.locator("input[name=code]").is_visible()
    assert unlabelled_fields(page) == []

    submit(page, page.locator(f"form[action='{reverse('alerts:phone_code_send')}']"))
    assert path_of(page).startswith(reverse("alerts:notifications"))
    assert page.locator("main .messages .message-success").is_visible()
    [text] = sms_to(member.phone)
    code = re.search(r"\b(\d{6})\b", text).group(1)
    snapshot(page, "phone-verification")

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    confirm_form.locator("input[name=code]").fill(wrong)
    submit(page, confirm_form)
    assert page.locator("main .messages .message-error").is_visible()
    member.refresh_from_db()
    assert member.phone_verified_at is None

    confirm_form.locator("input[name=code]").fill(code)
    submit(page, confirm_form)
    member.refresh_from_db()
    assert member.phone_verified_at is not None
    assert path_of(page) == reverse("alerts:notifications")
    assert page.locator("main .messages .message-success").is_visible()
    assert page.locator(f"form[action='{reverse('alerts:phone_code_confirm')}']").count() == 0
    assert page.locator("#verify .message-success").is_visible()  # "… is verified"
