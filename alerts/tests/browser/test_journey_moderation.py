"""Journey 2: a referent moderates the alerts of a community whose alerts need approval."""

import pytest
from django.core import mail
from django.urls import reverse

from alerts.messages import sms_text
from alerts.models import Alert, AlertFlag, Delivery
from vigilance.tests.browser.helpers import (
    form_with,
    last_email_to,
    path_of,
    snapshot,
    submit,
    unlabelled_fields,
)

from .steps import phones, post_alert, sms_recipients, sms_to

pytestmark = pytest.mark.browser

VEHICLE = "Une berline noire stationne depuis trois nuits moteur allumé, plaque commençant par FR."
SCAM = "Un faux agent des eaux a demandé à entrer chez plusieurs voisins, sans badge."
REJECTION = "Déjà signalé hier à la police municipale ; merci de ne pas le republier."
WITHDRAWAL = "C'était la voiture d'un nouveau voisin."
FLAG = "Je connais ce véhicule, c'est celui du kiné."


def moderation_card(page, alert):
    return page.locator(
        "main li.card", has=page.locator(f"a[href='{reverse('alerts:detail', args=[alert.id])}']")
    )


def moderate(page, alert, action, reason=None):
    form = page.locator(f"form[action='{reverse('alerts:moderate', args=[alert.id, action])}']")
    if reason is not None:
        form.locator("textarea[name=reason]").fill(reason)
    submit(page, form)
    assert path_of(page) == reverse("alerts:moderation")


def test_referent_requires_approval_approves_rejects_and_withdraws_and_sees_flags(
    new_page, run_tasks, community, resident, neighbours, referent
):
    flagger, rejected_author = neighbours
    referent_page = new_page(user=referent)

    # The referent decides that members' alerts wait for approval, on the community's edit page.
    referent_page.goto(reverse("neighbourhoods:referent_community", args=[community.id]))
    edit_url = reverse("neighbourhoods:community_edit", args=[community.id])
    with referent_page.expect_navigation():
        referent_page.click(f"main a[href='{edit_url}']")
    referent_page.check("input[name=alerts_need_approval]")
    submit(referent_page, form_with(referent_page, "input[name=alerts_need_approval]"))
    community.refresh_from_db()
    assert community.alerts_need_approval is True

    # Members post: their alerts wait, nobody is told yet but the referent.
    member_page = new_page(user=resident)
    post_alert(member_page, community, category="vehicle", description=VEHICLE, street="rue des Lilas")
    vehicle = Alert.objects.get(description=VEHICLE)
    assert path_of(member_page) == reverse("alerts:detail", args=[vehicle.id])
    author_page = new_page(user=rejected_author)
    post_alert(author_page, community, category="scam", description=SCAM, street="allée des Roses")
    scam = Alert.objects.get(description=SCAM)
    assert [vehicle.status, scam.status] == [Alert.Status.PENDING, Alert.Status.PENDING]
    assert sms_recipients() == []
    assert {message.to[0] for message in mail.outbox} == {referent.email}
    assert reverse("alerts:moderation") in last_email_to(referent.email).body

    # Pending alerts are not in the members' feed.
    member_page.goto(reverse("alerts:feed", args=[community.id]))
    assert member_page.locator(f"main a[href='{reverse('alerts:detail', args=[vehicle.id])}']").count() == 0

    referent_page.goto(reverse("neighbourhoods:referent_home"))
    with referent_page.expect_navigation():
        referent_page.click(f"main a[href='{reverse('alerts:moderation')}']")
    assert unlabelled_fields(referent_page) == []
    snapshot(referent_page, "alerts-moderation")

    # Approved: the members are told, SMS and email.
    mail.outbox.clear()
    moderate(referent_page, vehicle, "approve")
    vehicle.refresh_from_db()
    assert (vehicle.status, vehicle.moderated_by) == (Alert.Status.PUBLISHED, referent)
    assert sms_recipients() == phones(neighbours)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in neighbours)

    # Rejected with a reason: the author is told why, and no member hears of it.
    mail.outbox.clear()
    moderate(referent_page, scam, "reject", REJECTION)
    scam.refresh_from_db()
    assert (scam.status, scam.moderation_reason) == (Alert.Status.REJECTED, REJECTION)
    assert [m.to for m in mail.outbox] == [[rejected_author.email]]
    assert REJECTION in mail.outbox[0].body
    assert not Delivery.objects.filter(alert=scam).exists()

    # A member flags the published alert as unfounded; the referent sees the count.
    flag_page = new_page(user=flagger)
    flag_page.goto(reverse("alerts:detail", args=[vehicle.id]))
    flag_form = flag_page.locator(f"form[action='{reverse('alerts:flag', args=[vehicle.id])}']")
    flag_form.locator("input[name=reason]").fill(FLAG)
    submit(flag_page, flag_form)
    assert AlertFlag.objects.filter(alert=vehicle, user=flagger, reason=FLAG).exists()
    referent_page.reload()
    badges = moderation_card(referent_page, vehicle).locator(".badge")
    assert badges.count() == 2  # status, then flags
    assert "1" in badges.nth(1).inner_text()

    # Withdrawn: everyone who received it is told, on the channel they were told on.
    sms_before = {str(user.phone): len(sms_to(user.phone)) for user in neighbours}
    mail.outbox.clear()
    moderate(referent_page, vehicle, "withdraw", WITHDRAWAL)
    vehicle.refresh_from_db()
    assert (vehicle.status, vehicle.moderation_reason) == (Alert.Status.WITHDRAWN, WITHDRAWAL)
    for user in neighbours:
        notice = Delivery.objects.get(
            alert=vehicle, recipient=user, channel=Delivery.Channel.SMS, purpose=Delivery.Purpose.WITHDRAWAL
        )
        assert notice.status == Delivery.Status.SENT
        assert len(sms_to(user.phone)) == sms_before[str(user.phone)] + 1
        assert sms_to(user.phone)[-1] == sms_text(notice)
    assert sms_to(resident.phone) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in neighbours)
    assert moderation_card(referent_page, vehicle).count() == 0

    # The feed keeps the withdrawn alert, marked as such, with the reason on its page.
    flag_page.goto(reverse("alerts:feed", args=[community.id]))
    assert flag_page.locator("main li.alert-withdrawn").count() == 1
    flag_page.goto(reverse("alerts:detail", args=[vehicle.id]))
    assert WITHDRAWAL in flag_page.locator("main").inner_text()
