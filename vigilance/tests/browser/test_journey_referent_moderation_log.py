"""Journey: a referent opens the moderation log from their community page and reads who was
refused and why; the members read the log without that person's name or the reason."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership, ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory

from .helpers import path_of, submit

pytestmark = pytest.mark.browser
REFUSAL = "Adresse introuvable dans le quartier : passez me voir en mairie."


def test_a_referent_reads_a_refused_requests_name_and_reason_in_the_log(
    new_page, community, referent, resident
):
    refused = MembershipFactory(
        community=community,
        status=Membership.Status.PENDING,
        decided_at=None,
        user__first_name="Ysaline",
        user__last_name="Kerhervé",
    )
    page = new_page(user=referent)
    page.goto(reverse("neighbourhoods:referent_community", args=[community.id]))
    form = page.locator(f"form[action='{reverse('neighbourhoods:membership_decide', args=[refused.id])}']")
    form.locator("textarea[name=message]").fill(REFUSAL)
    submit(page, form, "button[name=decision][value=reject]")
    assert community.moderation_entries.get().action == ModerationEntry.Action.REJECTED

    page.goto(reverse("neighbourhoods:referent_community", args=[community.id]))
    log_url = reverse("neighbourhoods:moderation_log", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{log_url}']")
    assert path_of(page) == log_url
    entry = page.locator(f"main li[data-action='{ModerationEntry.Action.REJECTED}']").inner_text()
    assert "Ysaline Kerhervé" in entry and REFUSAL in entry

    member_page = new_page(user=resident)
    member_page.goto(log_url)
    shown = member_page.locator("main").inner_text()
    assert "Kerhervé" not in shown and REFUSAL not in shown
    assert member_page.locator(f"main li[data-action='{ModerationEntry.Action.REJECTED}']").count() == 1
