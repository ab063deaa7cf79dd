"""Journey: what the referent decides in a community is written in a log its members can read,
with the reasons; a rejected resident, who never was a member, stays out of it."""

import pytest
from django.urls import reverse

from alerts.models import Alert
from alerts.tests.factories import AlertFactory
from neighbourhoods.models import Membership, ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory

from .helpers import form_with, path_of, snapshot, submit

pytestmark = pytest.mark.browser
Action = ModerationEntry.Action

REFUSAL = "Je n'ai pas pu vérifier votre adresse : passez me voir en mairie."
REMOVAL = "Messages répétés qui décrivaient l'apparence de passants."
WITHDRAWAL = "Fausse alerte : c'était le camion du syndic."


def member(community, first_name, last_name, **fields) -> Membership:
    email = f"{first_name}.{last_name}@example.org".lower()
    return MembershipFactory(
        community=community,
        user__first_name=first_name,
        user__last_name=last_name,
        user__email=email,
        **fields,
    )


@pytest.fixture
def people(community):
    pending = {"status": Membership.Status.PENDING, "decided_at": None}
    return {
        "reader": member(community, "Honorine", "Trégouët"),
        "to_approve": member(community, "Bérénice", "Aubertin", **pending),
        "to_reject": member(community, "Ysaline", "Kerhervé", street="rue des Roses", **pending),
        "to_remove": member(community, "Gaspard", "Le Floch", street="rue des Roses"),
    }


def decide(page, membership, decision, message=""):
    form = page.locator(f"form[action='{reverse('neighbourhoods:membership_decide', args=[membership.id])}']")
    form.locator("textarea[name=message]").fill(message)
    submit(page, form, f"button[name=decision][value={decision}]")


def entry(page, action: str) -> str:
    entries = page.locator(f"main li[data-action='{action}']")
    assert entries.count() == 1, action
    return entries.inner_text()


def test_members_read_the_referents_decisions_and_reasons_but_never_who_was_rejected(
    new_page, community, referent, people, outsider
):
    alert = AlertFactory(
        commune=community.neighbourhood.commune,
        communities=[community],
        author=people["reader"].user,
        category=Alert.Category.SUSPICIOUS_VEHICLE,
    )
    moderator = new_page(user=referent)
    moderator.goto(reverse("neighbourhoods:referent_community", args=[community.id]))
    decide(moderator, people["to_approve"], "approve")
    decide(moderator, people["to_reject"], "reject", REFUSAL)
    remove_url = reverse("neighbourhoods:member_remove", args=[community.id, people["to_remove"].id])
    with moderator.expect_navigation():
        moderator.click(f"main a[href='{remove_url}']")
    moderator.fill("textarea[name=reason]", REMOVAL)
    submit(moderator, form_with(moderator, "textarea[name=reason]"))
    moderator.goto(reverse("alerts:moderation") + "?show=published")  # an alert nobody flagged
    withdraw = moderator.locator(f"form[action='{reverse('alerts:moderate', args=[alert.id, 'withdraw'])}']")
    withdraw.locator("textarea[name=reason]").fill(WITHDRAWAL)
    submit(moderator, withdraw)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.WITHDRAWN
    assert set(community.moderation_entries.values_list("action", flat=True)) == {
        Action.APPROVED,
        Action.REJECTED,
        Action.REMOVED,
        Action.ALERT_WITHDRAWN,
    }

    page = new_page(user=people["reader"].user)
    page.goto(reverse("neighbourhoods:directory", args=[community.id]))
    log_url = reverse("neighbourhoods:moderation_log", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{log_url}']")
    assert path_of(page) == log_url
    snapshot(page, "moderation-log-mobile")
    assert people["to_approve"].user.get_full_name() in entry(page, Action.APPROVED)
    removed = entry(page, Action.REMOVED)
    assert people["to_remove"].user.get_full_name() in removed and REMOVAL in removed
    withdrawn = entry(page, Action.ALERT_WITHDRAWN)
    assert WITHDRAWAL in withdrawn and alert.get_category_display() in withdrawn
    assert referent.get_full_name() in withdrawn  # who decided is part of the record
    rejected = entry(page, Action.REJECTED)
    assert referent.get_full_name() in rejected
    shown = page.content() + page.locator("body").inner_text()
    rejected_user = people["to_reject"].user
    for private in (rejected_user.first_name, rejected_user.last_name, rejected_user.email, REFUSAL):
        assert private not in shown, private

    assert new_page(user=outsider).goto(log_url).status == 404
    assert new_page().goto(log_url).status == 404
    assert new_page(user=rejected_user).goto(log_url).status == 404
