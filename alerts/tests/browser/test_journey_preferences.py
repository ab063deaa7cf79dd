"""Journey 4: members are told according to their channels and quiet hours; urgent alerts always go."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Delivery
from vigilance.tests.browser.helpers import form_with, path_of, snapshot, submit, unlabelled_fields

from .steps import post_alert, sms_to

pytestmark = pytest.mark.browser

INFORMATION = "Réunion des voisins vigilants jeudi à 19 h à la salle des fêtes."
URGENT = "Tentative d'effraction en cours sur une porte de garage, la police est prévenue."


def test_quiet_hours_and_channels_chosen_in_the_browser_decide_how_a_member_is_told(
    new_page, run_tasks, community, resident, neighbours, referent
):
    author, neighbour = neighbours
    now = timezone.localtime()
    member_page = new_page(user=resident)
    member_page.goto(reverse("alerts:notifications"))
    assert unlabelled_fields(member_page) == []
    member_page.fill("input[name=quiet_hours_start]", (now - timedelta(hours=1)).strftime("%H:%M"))
    member_page.fill("input[name=quiet_hours_end]", (now + timedelta(hours=1)).strftime("%H:%M"))
    member_page.uncheck("input[name=information_email]")
    member_page.check("input[name=information_sms]")
    submit(member_page, form_with(member_page, "input[name=quiet_hours_start]"))
    assert path_of(member_page) == reverse("alerts:notifications")
    preference = resident.notification_preference
    assert (preference.information_email, preference.information_sms) == (False, True)
    assert preference.quiet_hours_start is not None and preference.quiet_hours_end is not None

    # Information, during the member's quiet hours: the SMS waits for the end of them, no email.
    author_page = new_page(user=author)
    post_alert(
        author_page,
        community,
        category="other",
        description=INFORMATION,
        street="place de l'Église",
        urgency="information",
    )
    information = Alert.objects.get(description=INFORMATION)
    held = Delivery.objects.get(alert=information, recipient=resident)
    assert (held.channel, held.status) == (Delivery.Channel.SMS, Delivery.Status.SCHEDULED)
    assert held.not_before > timezone.now()
    assert sms_to(resident.phone) == []
    assert not [m for m in mail.outbox if resident.email in m.to]
    # A neighbour with the default settings gets information by email only, at once.
    assert [m.to for m in mail.outbox] == [[neighbour.email]]
    assert sms_to(neighbour.phone) == []

    # Urgent: at once, on every channel, quiet hours or not.
    post_alert(
        author_page,
        community,
        category="burglary",
        description=URGENT,
        street="rue des Lilas",
        urgency="urgent",
    )
    urgent = Alert.objects.get(description=URGENT)
    assert set(
        Delivery.objects.filter(alert=urgent, recipient=resident).values_list("channel", "status")
    ) == {(Delivery.Channel.SMS, Delivery.Status.SENT), (Delivery.Channel.EMAIL, Delivery.Status.SENT)}
    assert len(sms_to(resident.phone)) == 1
    assert [m for m in mail.outbox if resident.email in m.to]

    # The member finds both alerts in the feed and on their pages, without the delivery figures.
    member_page.goto(reverse("alerts:feed", args=[community.id]))
    for alert in (urgent, information):
        assert member_page.locator(f"main a[href='{reverse('alerts:detail', args=[alert.id])}']").count() == 1
    with member_page.expect_navigation():
        member_page.click(f"main a[href='{reverse('alerts:detail', args=[information.id])}']")
    assert INFORMATION in member_page.locator("main").inner_text()
    assert member_page.locator("[data-count]").count() == 0

    # Its author and the referent see where the deliveries stand.
    for viewer_page in (author_page, new_page(user=referent)):
        viewer_page.goto(reverse("alerts:detail", args=[information.id]))
        assert viewer_page.locator("[data-count='sms-scheduled']").inner_text() == "1"  # held by quiet hours
        assert viewer_page.locator("[data-count='sms-sent']").inner_text() == "0"
        assert viewer_page.locator("[data-count='email-sent']").inner_text() == "1"
    author_page.goto(reverse("alerts:detail", args=[urgent.id]))
    snapshot(author_page, "alert-page-deliveries")

    # The page reloads itself while statuses may still change (the messages are sent, the
    # provider's receipts are to come), and no longer once no receipt is expected any more.
    assert author_page.locator("meta[http-equiv=refresh]").count() == 1
    long_ago = timezone.now() - timedelta(minutes=11)
    Delivery.objects.filter(alert__in=[urgent, information]).update(sent_at=long_ago, updated_at=long_ago)
    for alert in (urgent, information):  # the one held by quiet hours too: not for hours
        author_page.goto(reverse("alerts:detail", args=[alert.id]))
        assert author_page.locator("meta[http-equiv=refresh]").count() == 0
