"""user_export: everything Vigilance holds about a person, for their GDPR download."""

import datetime
import json

import pytest
from django.utils import timezone

from accounts import privacy
from accounts.tests.factories import UserFactory
from alerts.models import Alert, AlertFlag, Delivery, NotificationPreference, PhoneVerification
from alerts.tests.factories import AlertFactory, DeliveryFactory
from neighbourhoods.models import Absence, Membership, ModerationEntry
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory
from shop.models import Order
from shop.tests.factories import KitFactory, ProductFactory, SignageProgrammeFactory
from shop.tests.helpers import resident_order

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CODE_HASH = "pbkdf2_sha256$1000$sel$empreinte-du-code"


def export(user) -> dict:
    """The download as the person gets it: through JSON."""
    return json.loads(json.dumps(privacy.user_export(user=user)))


@pytest.fixture
def fellow(community):
    """Another member of the resident's community, with names no factory draws."""
    return MembershipFactory(
        community=community,
        user__first_name="Zéphyrin",
        user__last_name="Autrevoisin",
        user__email="zephyrin.autrevoisin@example.org",
        user__phone="+33611223344",
    ).user


@pytest.fixture
def lived_in(community, resident, fellow):
    """A resident who used every part of Vigilance, next to a fellow member who did too."""
    written = AlertFactory(
        author=resident,
        commune=community.commune,
        communities=[community],
        category=Alert.Category.SCAM,
        urgency=Alert.Urgency.URGENT,
        description="Faux agent du gaz qui sonne aux portes.",
        street="rue des Lilas",
    )
    by_fellow = AlertFactory(
        author=fellow, commune=community.commune, communities=[community], description="Texte du voisin."
    )
    AlertFlag.objects.create(alert=by_fellow, user=resident, reason="Déjà signalé hier")
    AlertFlag.objects.create(alert=written, user=fellow, reason="Raison du voisin")
    sms = DeliveryFactory(
        alert=by_fellow, recipient=resident, status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    DeliveryFactory(alert=by_fellow, recipient=resident, channel=Delivery.Channel.EMAIL)
    DeliveryFactory(alert=written, recipient=fellow)
    NotificationPreference.objects.create(
        user=resident,
        information_sms=True,
        quiet_hours_start=datetime.time(22),
        quiet_hours_end=datetime.time(7),
    )
    PhoneVerification.objects.create(
        user=resident, phone=str(resident.phone), code_hash=CODE_HASH, used_at=timezone.now()
    )
    absence = Absence.objects.create(
        user=resident,
        community=community,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=10),
        note="Le voisin arrose le jardin le samedi.",
        share_with_referent=False,
    )
    absence.shared_with.set([fellow])
    theirs = Absence.objects.create(
        user=fellow, community=community, starts_on=TODAY, ends_on=TODAY, note="Note du voisin."
    )
    theirs.shared_with.set([resident])
    kit = KitFactory()
    SignageProgrammeFactory(commune=community.commune, funded_products=[kit])
    order = resident_order(resident, {kit: 2, ProductFactory(name="Autocollant portail"): 1}).order
    resident_order(fellow, {kit: 1}, delivery_name="Zéphyrin Autrevoisin", delivery_address="9 rue Haute")
    return {"alert": written, "flagged": by_fellow, "sms": sms, "order": order}


def test_export_is_json_serialisable_and_holds_the_account(community, resident):
    data = export(resident)

    account = data["account"]
    assert account["email"] == resident.email
    assert account["first_name"] == resident.first_name
    assert account["last_name"] == resident.last_name
    assert account["phone"] == str(resident.phone)
    assert data["commune_of_residence"] == community.commune.name
    assert data["email_addresses"] == [{"email": resident.email, "verified": True, "primary": True}]


def test_export_lists_every_membership_with_street_status_and_message(community, resident, other_community):
    MembershipFactory(
        user=resident,
        community=other_community,
        status=Membership.Status.REJECTED,
        decision_message="Hors secteur",
        street="rue des Roses",
    )

    data = export(resident)

    memberships = sorted(data["memberships"], key=lambda m: m["status"])
    assert [(m["community"], m["street"], m["status"]) for m in memberships] == [
        (community.name, "rue des Lilas", "approved"),
        (other_community.name, "rue des Roses", "rejected"),
    ]
    assert memberships[1]["message"] == "Hors secteur"
    assert memberships[0]["commune"] == community.commune.name


def test_export_lists_referent_roles(community, referent):
    data = export(referent)

    assert data["referent_for"] == [
        {"neighbourhood": community.neighbourhood.name, "commune": community.commune.name}
    ]


def test_export_gives_the_commune_an_official_serves(community, police_officer):
    data = export(police_officer)

    assert data["commune_served"] == community.commune.name
    assert data["account"]["acts_for"]


def test_export_holds_the_alerts_they_wrote(lived_in, community):
    [alert] = export(lived_in["alert"].author)["alerts_written"]

    assert alert["id"] == lived_in["alert"].id
    assert (alert["category"], alert["urgency"], alert["status"]) == ("scam", "urgent", "published")
    assert alert["description"] == "Faux agent du gaz qui sonne aux portes."
    assert alert["street"] == "rue des Lilas"
    assert alert["communities"] == [community.name]
    assert alert["created_at"] and alert["published_at"]


def test_export_holds_their_flags_with_the_reason(lived_in, resident):
    assert [(f["alert"], f["reason"]) for f in export(resident)["flags"]] == [
        (lived_in["flagged"].id, "Déjà signalé hier")
    ]


def test_export_holds_their_notification_preferences(lived_in, resident):
    preferences = export(resident)["notification_preferences"]

    assert preferences["information_sms"] is True
    assert preferences["urgent_email"] is True
    assert (preferences["quiet_hours_start"], preferences["quiet_hours_end"]) == ("22:00:00", "07:00:00")


def test_export_gives_the_dates_of_phone_verifications_and_never_the_code(lived_in, resident):
    data = export(resident)

    [verification] = data["phone_verifications"]
    assert verification["requested_at"] and verification["verified_at"]
    assert CODE_HASH not in json.dumps(data)


def test_export_holds_the_absences_they_declared_and_counts_whom_they_told(lived_in, resident, community):
    [absence] = export(resident)["absences"]

    assert absence["community"] == community.name
    assert absence["note"] == "Le voisin arrose le jardin le samedi."
    assert (absence["away_from"], absence["back_on"]) == (
        TODAY.isoformat(),
        (TODAY + datetime.timedelta(days=10)).isoformat(),
    )
    assert absence["referent_may_see_it"] is False
    assert absence["shared_with_neighbours"] == 1


def test_export_holds_the_messages_sent_to_them_with_the_address_used(lived_in, resident):
    received = export(resident)["messages_received"]

    assert sorted((m["alert"], m["channel"], m["sent_to"]) for m in received) == [
        (lived_in["flagged"].id, "email", resident.email),
        (lived_in["flagged"].id, "sms", str(resident.phone)),
    ]
    sms = next(m for m in received if m["channel"] == "sms")
    assert sms["status"] == "sent" and sms["sent_at"]


def test_export_holds_their_orders_with_lines_totals_address_and_offered_items(lived_in, resident):
    data = export(resident)

    [order] = data["orders"]
    placed = lived_in["order"]
    assert order["reference"] == placed.reference
    assert order["status"] == Order.Status.CONFIRMED
    assert (order["delivery_name"], order["delivery_address"]) == (
        placed.delivery_name,
        placed.delivery_address,
    )
    assert order["total_incl_vat"] == str(placed.total_incl_vat)
    assert order["offered_by_the_town_hall"] == str(placed.funded_amount) != "0.00"
    assert sorted(
        (line["name"], line["quantity"], line["offered_by_the_town_hall"]) for line in order["lines"]
    ) == [
        ("Autocollant portail", 1, False),
        ("Kit d'autocollants du foyer", 1, False),
        ("Kit d'autocollants du foyer", 1, True),
    ]
    assert [step["status"] for step in order["history"]] == ["confirmed"]
    assert order["invoice"] is None
    assert data["items_offered_by_the_town_hall"] == [
        {"sku": "KIT-FOYER", "product": "Kit d'autocollants du foyer", "order": placed.reference}
    ]


def test_export_gives_the_invoice_of_an_invoiced_order(lived_in, resident):
    from shop.tests.helpers import move

    move(lived_in["order"], Order.Status.PAID, Order.Status.SHIPPED, actor=None)

    [order] = export(resident)["orders"]

    invoice = lived_in["order"].invoice
    assert order["invoice"] == {"number": invoice.number, "issued_at": invoice.issued_at.isoformat()}
    assert order["tracking_number"]


def test_export_holds_what_a_referent_moderated_without_whom_it_was_about(community, referent, fellow):
    ModerationEntry.objects.create(
        community=community,
        actor=referent,
        action=ModerationEntry.Action.REMOVED,
        subject=fellow.get_full_name(),
        reason="Propos déplacés de Zéphyrin",
    )

    data = export(referent)

    assert [(a["action"], a["community"]) for a in data["moderation_actions"]] == [
        ("removed", community.name)
    ]
    assert "Zéphyrin" not in json.dumps(data)


def test_export_holds_nothing_about_other_people(community, resident, fellow, lived_in):
    ReferentFactory(neighbourhood=community.neighbourhood)

    text = json.dumps(privacy.user_export(user=resident), ensure_ascii=False)

    for trace in (fellow.email, fellow.first_name, fellow.last_name, str(fellow.phone)):
        assert trace not in text
    # Their alert, their flag on the resident's alert, their absence shared with the resident.
    for trace in ("Texte du voisin.", "Raison du voisin", "Note du voisin.", "9 rue Haute"):
        assert trace not in text


def test_export_of_a_new_account_has_empty_lists():
    user = UserFactory(commune=None, phone="")

    data = export(user)

    for section in ("memberships", "referent_for", "absences", "alerts_written", "flags", "orders"):
        assert data[section] == [], section
    assert data["messages_received"] == []
    assert data["notification_preferences"] is None
    assert data["commune_of_residence"] is None
    assert data["account"]["phone"] == ""
