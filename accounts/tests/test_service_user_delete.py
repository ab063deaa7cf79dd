"""user_delete: erasing an account and its personal data, without breaking what mentioned it."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from alerts.models import Alert, AlertFlag, Delivery, NotificationPreference, PhoneVerification
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods import selectors
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import Absence, Community, Membership, ModerationEntry, NeighbourhoodReferent
from neighbourhoods.tests.factories import MembershipFactory
from shop.models import Order
from shop.tests.factories import KitFactory, ProductFactory, SignageProgrammeFactory
from shop.tests.helpers import ADDRESS, TOWN_HALL, move, resident_order, town_hall_order

pytestmark = pytest.mark.django_db


def test_the_user_row_and_their_email_addresses_are_gone(resident):
    user_id, email = resident.id, resident.email

    services.user_delete(user=resident)

    assert not User.objects.filter(id=user_id).exists()
    assert not EmailAddress.objects.filter(email=email).exists()


def test_their_memberships_are_gone(resident, other_community):
    MembershipFactory(user=resident, community=other_community, status=Membership.Status.PENDING)
    user_id = resident.id

    services.user_delete(user=resident)

    assert not Membership.objects.filter(user_id=user_id).exists()


def test_a_membership_they_decided_stays_with_no_decider(referent, pending_resident):
    membership = pending_resident.memberships.get()
    neighbourhood_services.membership_decide(referent=referent, membership_id=membership.id, approve=True)

    services.user_delete(user=referent)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by is None


def test_a_community_they_created_stays_with_no_creator(referent, community):
    created = neighbourhood_services.community_create(
        referent=referent, neighbourhood=community.neighbourhood, name="Les Tilleuls"
    )

    services.user_delete(user=referent)

    created.refresh_from_db()
    assert created.created_by is None
    assert Community.objects.filter(id=created.id).exists()


def test_their_referent_roles_go_and_roles_they_appointed_stay(referent, community, resident):
    neighbourhood_services.referent_hand_over(
        referent=referent, neighbourhood=community.neighbourhood, successor=resident
    )
    appointed = NeighbourhoodReferent.objects.get(user=resident)

    services.user_delete(user=referent)

    appointed.refresh_from_db()
    assert appointed.appointed_by is None

    services.user_delete(user=resident)
    assert not NeighbourhoodReferent.objects.filter(id=appointed.id).exists()


def test_the_other_members_directory_is_unaffected(community, resident):
    stays = MembershipFactory(community=community)
    leaves = MembershipFactory(community=community)

    services.user_delete(user=leaves.user)

    assert list(selectors.members_visible_to(stays.user, community).order_by("id")) == sorted(
        [resident.memberships.get(), stays], key=lambda m: m.id
    )


# What each app erases before the account row goes -------------------------------------


def test_deliveries_once_addressed_to_them_keep_no_address(resident, community):
    fellow = MembershipFactory(community=community).user
    alert = AlertFactory(commune=community.commune, communities=[community])
    sent = DeliveryFactory(alert=alert, recipient=resident, status=Delivery.Status.SENT)
    refused = DeliveryFactory(
        alert=alert,
        recipient=resident,
        channel=Delivery.Channel.EMAIL,
        status=Delivery.Status.FAILED,
        error_message=f"address refused: {{'{resident.email}': (550, b'unknown')}}",
    )
    kept = DeliveryFactory(alert=alert, recipient=fellow)

    services.user_delete(user=resident)

    for delivery in (sent, refused):
        delivery.refresh_from_db()
        assert (delivery.to, delivery.error_message, delivery.recipient) == ("", "", None)
    assert sent.status == Delivery.Status.SENT  # the alert's figures stay
    kept.refresh_from_db()
    assert kept.to == str(fellow.phone)


def test_messages_not_sent_yet_to_them_are_cancelled(resident, community):
    alert = AlertFactory(commune=community.commune, communities=[community])
    queued = DeliveryFactory(alert=alert, recipient=resident, status=Delivery.Status.QUEUED)
    scheduled = DeliveryFactory(
        alert=alert, recipient=resident, channel=Delivery.Channel.EMAIL, status=Delivery.Status.SCHEDULED
    )

    services.user_delete(user=resident)

    assert set(
        Delivery.objects.filter(id__in=[queued.id, scheduled.id]).values_list("status", flat=True)
    ) == {Delivery.Status.CANCELLED}


def test_their_published_alert_stays_without_author_and_their_unpublished_ones_do_not(resident, community):
    def written(status):
        return AlertFactory(
            author=resident,
            commune=community.commune,
            communities=[community],
            status=status,
            moderation_reason="Trop vague" if status == Alert.Status.REJECTED else "",
        )

    published, pending, rejected = (
        written(Alert.Status.PUBLISHED),
        written(Alert.Status.PENDING),
        written(Alert.Status.REJECTED),
    )

    services.user_delete(user=resident)

    published.refresh_from_db()
    assert published.author is None
    assert published.description  # the community's record, until alerts_anonymise
    assert not Alert.objects.filter(id=pending.id).exists()
    rejected.refresh_from_db()
    assert (rejected.description, rejected.street, rejected.moderation_reason) == ("", "", "")
    assert rejected.anonymised_at is not None


def test_their_flags_preferences_and_phone_verifications_are_gone(resident, community):
    alert = AlertFactory(commune=community.commune, communities=[community])
    AlertFlag.objects.create(alert=alert, user=resident, reason="Déjà vu")
    NotificationPreference.objects.create(user=resident)
    PhoneVerification.objects.create(user=resident, phone=str(resident.phone), code_hash="x")
    user_id = resident.id

    services.user_delete(user=resident)

    assert not AlertFlag.objects.filter(alert=alert).exists()
    assert not NotificationPreference.objects.filter(user_id=user_id).exists()
    assert not PhoneVerification.objects.filter(user_id=user_id).exists()


def test_their_absences_and_their_place_on_others_absences_are_gone(resident, community):
    fellow = MembershipFactory(community=community).user
    today = timezone.localdate()
    Absence.objects.create(user=resident, community=community, starts_on=today, ends_on=today)
    theirs = Absence.objects.create(user=fellow, community=community, starts_on=today, ends_on=today)
    theirs.shared_with.set([resident])

    services.user_delete(user=resident)

    assert list(Absence.objects.all()) == [theirs]
    assert not theirs.shared_with.exists()


def test_the_moderation_log_no_longer_names_them(referent, community, resident, other_community):
    name = resident.get_full_name()
    fellow = MembershipFactory(community=community).user

    def entry(action, subject, where=community, reason=""):
        return ModerationEntry.objects.create(
            community=where, actor=referent, action=action, subject=subject, reason=reason
        )

    approved = entry(ModerationEntry.Action.APPROVED, name)
    removed = entry(ModerationEntry.Action.REMOVED, name, reason="Propos déplacés")
    about_fellow = entry(ModerationEntry.Action.APPROVED, fellow.get_full_name())
    namesake_elsewhere = entry(ModerationEntry.Action.APPROVED, name, where=other_community)
    alert_entry = entry(ModerationEntry.Action.ALERT_REJECTED, "Autre", reason="Trop vague")

    services.user_delete(user=resident)

    for cleared in (approved, removed):
        cleared.refresh_from_db()
        assert (cleared.subject, cleared.reason) == ("", "")
        assert cleared.action  # what was decided, and when, stays in the log
    for kept in (about_fellow, namesake_elsewhere, alert_entry):
        before = (kept.subject, kept.reason)
        kept.refresh_from_db()
        assert (kept.subject, kept.reason) == before


def test_the_log_no_longer_names_them_as_referent(referent, community):
    name = referent.get_full_name()
    appointed = ModerationEntry.objects.create(
        community=community, action=ModerationEntry.Action.REFERENT_APPOINTED, subject=name
    )

    services.user_delete(user=referent)

    appointed.refresh_from_db()
    assert appointed.subject == ""


def test_the_admin_history_keeps_its_entries_about_them_without_their_name(resident, community):
    staff = UserFactory(is_staff=True)

    def logged(obj):
        return LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action_flag=CHANGE,
        )

    about_account = logged(resident)
    about_membership = logged(resident.memberships.get())
    about_delivery = logged(DeliveryFactory(recipient=resident))
    about_someone_else = logged(staff)

    services.user_delete(user=resident)

    for entry in (about_account, about_membership, about_delivery):
        entry.refresh_from_db()
        assert entry.object_repr == ""
    about_someone_else.refresh_from_db()
    assert about_someone_else.object_repr == str(staff)


def test_orders_keep_what_an_invoice_needs_and_lose_the_address_when_over(resident, community):
    invoiced = resident_order(resident, {ProductFactory(): 1}).order
    move(invoiced, Order.Status.PAID, Order.Status.SHIPPED, actor=None)
    cancelled = move(
        resident_order(resident, {ProductFactory(): 1}).order, Order.Status.CANCELLED, actor=None
    )
    in_progress = move(resident_order(resident, {ProductFactory(): 1}).order, Order.Status.PAID, actor=None)

    services.user_delete(user=resident)

    for order in (invoiced, cancelled, in_progress):
        order.refresh_from_db()
        assert order.buyer is None
    # What the invoice prints (its address as the billing address), and nothing else.
    assert (invoiced.delivery_name, invoiced.billing_address) == (
        ADDRESS["delivery_name"],
        ADDRESS["delivery_address"],
    )
    assert (invoiced.delivery_address, invoiced.tracking_number) == ("", "")
    assert (cancelled.delivery_name, cancelled.delivery_address) == ("", "")
    # Still to be shipped: the parcel needs its address.
    assert in_progress.delivery_address == ADDRESS["delivery_address"]
    assert cancelled.total_incl_vat > 0 and cancelled.lines.exists()  # the sale's figures stay


def test_a_town_hall_order_stays_whole_when_its_buyer_goes(mayor_office):
    order = town_hall_order(mayor_office, {ProductFactory(): 2})
    move(order, Order.Status.CANCELLED, actor=None)

    services.user_delete(user=mayor_office)

    order.refresh_from_db()
    assert (order.delivery_name, order.billing_address) == (
        TOWN_HALL["delivery_name"],
        TOWN_HALL["billing_address"],
    )


def test_their_funded_claims_go_and_the_order_stays(resident, community):
    kit = KitFactory()
    SignageProgrammeFactory(commune=community.commune, funded_products=[kit])
    order = resident_order(resident, {kit: 1}).order
    assert order.funded_claims.exists()

    services.user_delete(user=resident)

    assert Order.objects.filter(id=order.id).exists()
    assert not order.funded_claims.exists()


def test_an_erasure_that_fails_erases_nothing(resident, community, monkeypatch):
    from accounts import privacy

    delivery = DeliveryFactory(recipient=resident)

    def broken_delete(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(User, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        privacy.user_erase(user=resident)

    delivery.refresh_from_db()
    assert delivery.to == str(resident.phone)
