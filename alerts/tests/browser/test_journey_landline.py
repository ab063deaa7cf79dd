"""Journey: a resident adds their landline on the profile page (a mobile is refused), asks for
a verification call, and types the code the call read."""

import re

import pytest
from django.urls import reverse

from alerts import voice_backends
from neighbourhoods.tests.factories import MembershipFactory
from vigilance.tests.browser.helpers import path_of, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def voice_outbox(settings):
    settings.VOICE_BACKEND = "alerts.voice_backends.LocmemVoiceBackend"
    voice_backends.outbox.clear()
    yield voice_backends.outbox
    voice_backends.outbox.clear()


def code_read(twiml: str) -> str:
    return re.search(r"(\d(?: \d){5})", twiml).group(1).replace(" ", "")


def test_resident_enrols_a_landline_and_verifies_it_with_the_code_the_call_read(
    new_page, community, voice_outbox
):
    member = MembershipFactory(community=community).user
    page = new_page(user=member)
    page.goto(reverse("profile"))
    save_form = page.locator(f"form[action='{reverse('alerts:landline_save')}']")
    assert unlabelled_fields(page) == []

    save_form.locator("input[name=landline]").fill("06 12 34 56 78")  # a mobile
    submit(page, save_form)
    assert page.locator("#landline .error-summary").is_visible()
    assert page.locator("#id_landline[aria-invalid=true]").count() == 1
    member.refresh_from_db()
    assert not member.landline

    save_form = page.locator(f"form[action='{reverse('alerts:landline_save')}']")
    save_form.locator("input[name=landline]").fill("02 40 12 34 56")
    submit(page, save_form)
    assert path_of(page) == reverse("profile") + "#landline"
    assert page.locator("main .messages .message-success").is_visible()
    assert page.locator("input[name=landline]").input_value() == "02 40 12 34 56"
    assert page.locator("[data-landline-status=unverified]").is_visible()

    submit(page, page.locator(f"form[action='{reverse('alerts:landline_call')}']"))
    assert page.locator("main .messages .message-success").is_visible()
    [call] = voice_outbox
    assert call["to"] == "+33240123456"
    assert call["twiml"].count('<Say language="fr-FR">') >= 2
    code = code_read(call["twiml"])
    snapshot(page, "landline-verification")

    confirm_form = page.locator(f"form[action='{reverse('alerts:landline_confirm')}']")
    confirm_form.locator("input[name=code]").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    submit(page, confirm_form)
    assert page.locator("#landline .error-summary").is_visible()
    member.refresh_from_db()
    assert member.landline_verified_at is None

    confirm_form = page.locator(f"form[action='{reverse('alerts:landline_confirm')}']")
    confirm_form.locator("input[name=code]").fill(code)
    submit(page, confirm_form)
    member.refresh_from_db()
    assert member.landline_verified_at is not None
    assert page.locator("[data-landline-status=verified]").is_visible()
    assert page.locator(f"form[action='{reverse('alerts:landline_confirm')}']").count() == 0
