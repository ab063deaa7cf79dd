"""Journey 3: the referent of a neighbourhood decides on join requests and runs the community."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

from .helpers import form_with, last_email_to, log_in, path_of, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser

WELCOME = "Bienvenue ! Pensez à coller l'autocollant sur votre boîte aux lettres."
REFUSAL = "Je n'ai pas pu vérifier votre adresse : passez me voir en mairie."
REASON = "Messages répétés qui décrivaient l'apparence de passants."


@pytest.fixture
def second_pending(community):
    return MembershipFactory(
        community=community, status=Membership.Status.PENDING, decided_at=None, street="rue des Roses"
    )


def decide(page, membership, decision, message):
    form = page.locator(f"form[action='{reverse('neighbourhoods:membership_decide', args=[membership.id])}']")
    form.locator("textarea[name=message]").fill(message)
    submit(page, form, f"button[name=decision][value={decision}]")


def test_referent_approves_rejects_removes_and_edits_the_community(
    new_page, run_tasks, community, referent, resident, pending_resident, second_pending
):
    approved = pending_resident.memberships.get()
    rejected = second_pending
    page = new_page()
    log_in(page, referent.email)
    page.goto(reverse("neighbourhoods:referent_home"))
    referent_community_url = reverse("neighbourhoods:referent_community", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{referent_community_url}']")
    assert unlabelled_fields(page) == []
    snapshot(page, "referent-community")
    assert page.locator("main").get_by_text(pending_resident.get_full_name()).count() >= 1

    decide(page, approved, "approve", WELCOME)
    assert path_of(page) == referent_community_url
    decide(page, rejected, "reject", REFUSAL)
    assert path_of(page) == referent_community_url

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status == Membership.Status.APPROVED
    assert rejected.status == Membership.Status.REJECTED
    assert (approved.decided_by, approved.decision_message) == (referent, WELCOME)
    assert (rejected.decided_by, rejected.decision_message) == (referent, REFUSAL)
    welcome_email = last_email_to(pending_resident.email)
    refusal_email = last_email_to(rejected.user.email)
    assert WELCOME in welcome_email.body
    assert reverse("neighbourhoods:directory", args=[community.id]) in welcome_email.body
    assert REFUSAL in refusal_email.body
    assert reverse("neighbourhoods:directory", args=[community.id]) not in refusal_email.body
    assert page.locator("form[action*='/decide/']").count() == 0

    removed = resident.memberships.get()
    remove_url = reverse("neighbourhoods:member_remove", args=[community.id, removed.id])
    with page.expect_navigation():
        page.click(f"main a[href='{remove_url}']")
    page.fill("textarea[name=reason]", REASON)
    submit(page, form_with(page, "textarea[name=reason]"))
    assert path_of(page) == referent_community_url
    removed.refresh_from_db()
    assert (removed.status, removed.decision_message) == (Membership.Status.REMOVED, REASON)
    assert REASON in last_email_to(resident.email).body

    edit_url = reverse("neighbourhoods:community_edit", args=[community.id])
    with page.expect_navigation():
        page.click(f"main a[href='{edit_url}']")
    page.fill("textarea[name=description]", "Les voisins de la rue des Lilas et de la rue des Roses.")
    page.fill("textarea[name=rules]", "Pas de photos de personnes.\nDes faits, pas des apparences.")
    submit(page, form_with(page, "textarea[name=rules]"))
    assert path_of(page) == referent_community_url

    page.goto(reverse("neighbourhoods:community", args=[community.id]))
    main = page.locator("main").inner_text()
    assert "Les voisins de la rue des Lilas et de la rue des Roses." in main
    assert "Pas de photos de personnes.\nDes faits, pas des apparences." in main
