"""What staff change on an account in the admin goes through the services of the person's own
pages: the profile through profile_update (a new phone number must be verified again), the
deletion through user_delete (each app erases what it holds)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import ReferentFactory

pytestmark = pytest.mark.django_db

VERIFIED_AT = timezone.now().replace(microsecond=0)


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.id])


@pytest.fixture
def person(db):
    return UserFactory(
        phone="+33612345678", phone_verified_at=VERIFIED_AT, first_name="Léa", last_name="Martin"
    )


def save(client, user, **changes):
    """Posts the admin's change form of `user` as shown, with `changes`."""
    page = client.get(change_url(user))
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": str(user.phone),
        "show_phone": "on" if user.show_phone else "",
        "show_email": "on" if user.show_email else "",
        "official_role": user.official_role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
    }
    for inline in page.context["inline_admin_formsets"]:  # commune of residence, commune served
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = "0"
        data[f"{inline.formset.prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return client.post(change_url(user), {k: v for k, v in data.items() if v != ""})


def test_a_new_phone_number_must_be_verified_again(admin_client, person):
    response = save(admin_client, person, phone="06 98 76 54 32")

    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert str(person.phone) == "+33698765432"
    assert person.phone_verified_at is None


def test_the_same_number_written_differently_stays_verified(admin_client, person):
    response = save(admin_client, person, phone="06 12 34 56 78", first_name="Léna", show_phone="on")

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.show_phone) == ("Léna", True)
    assert person.phone_verified_at == VERIFIED_AT


def test_a_landline_is_refused_as_on_the_profile_page(admin_client, person):
    response = save(admin_client, person, phone="01 40 20 50 50")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"]
    person.refresh_from_db()
    assert str(person.phone) == "+33612345678"
    assert person.phone_verified_at == VERIFIED_AT


def test_fields_outside_the_profile_are_saved_as_before(admin_client, person):
    response = save(admin_client, person, official_role="police", is_staff="on")

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.official_role, person.is_staff) == ("police", True)
    assert person.phone_verified_at == VERIFIED_AT


def test_is_referent_is_not_set_from_the_admin(admin_client, person, community):
    referent = ReferentFactory(neighbourhood=community.neighbourhood).user

    save(admin_client, person, is_referent="on")
    save(admin_client, referent, first_name="Paul")

    assert User.objects.get(id=person.id).is_referent is False
    assert User.objects.get(id=referent.id).is_referent is True


def test_deleting_an_account_erases_it_as_the_account_page_does(admin_client, referent, pending_resident):
    membership = pending_resident.memberships.get()
    neighbourhood_services.membership_decide(referent=referent, membership_id=membership.id, approve=True)
    entry = ModerationEntry.objects.get(subject=pending_resident.get_full_name())

    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[pending_resident.id]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(id=pending_resident.id).exists()
    entry.refresh_from_db()
    assert entry.subject == ""  # the members' log keeps the approval, not the name


def test_deleting_several_accounts_erases_each(admin_client, referent, pending_resident, resident):
    membership = pending_resident.memberships.get()
    neighbourhood_services.membership_decide(referent=referent, membership_id=membership.id, approve=True)

    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [pending_resident.id, resident.id], "post": "yes"},
    )

    assert not User.objects.filter(id__in=[pending_resident.id, resident.id]).exists()
    assert not ModerationEntry.objects.exclude(subject="").exists()


@pytest.mark.parametrize("invisible", ["\u202e", "\u200b", "\u2066", "\ufeff", "\x07"])
def test_a_name_with_an_invisible_character_is_refused_as_on_the_profile_page(
    admin_client, person, invisible
):
    response = save(admin_client, person, last_name=f"Mar{invisible}tin")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["last_name"]
    person.refresh_from_db()
    assert person.last_name == "Martin"


def test_an_account_added_in_the_admin_has_a_visible_name(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nouveau@example.fr",
            "first_name": "Jean\u202e",
            "last_name": "Dupont",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["first_name"]
    assert not User.objects.filter(email="nouveau@example.fr").exists()
