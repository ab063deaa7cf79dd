"""/communities/<id>/alerts/new/: a member reports something; bad input is shown, never saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from alerts.models import Alert, Delivery
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def create_url(community):
    return reverse("alerts:create", args=[community.id])


def valid(**overrides):
    data = {
        "category": Alert.Category.REPEATED_PASSES,
        "description": "Un scooter sans plaque repasse devant les maisons depuis une heure.",
        "street": "allée des Tilleuls",
        "occurred_at": "",
        "urgency": Alert.Urgency.VIGILANCE,
    }
    data.update(overrides)
    return data


def test_form_shows_the_17_and_112_reminder_above_the_form_and_a_link_to_the_charter(
    client, community, resident
):
    client.force_login(resident)
    response = client.get(create_url(community))
    assert response.status_code == 200
    html = response.content.decode()
    form_at = html.index('class="form card"')
    assert -1 < html.find('href="tel:17"') < form_at
    assert -1 < html.find('href="tel:112"') < form_at
    assert f'href="{reverse("charter")}"' in html


def test_member_posts_an_alert_and_is_sent_to_it(client, community, resident):
    neighbour = MembershipFactory(community=community).user
    client.force_login(resident)
    response = client.post(create_url(community), valid())
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:detail", args=[alert.id])
    assert alert.author == resident and alert.kind == Alert.Kind.MEMBER
    assert list(alert.communities.all()) == [community]
    assert set(alert.deliveries.values_list("recipient_id", flat=True)) == {neighbour.id}


def test_a_kind_field_in_the_post_is_ignored_the_alert_is_a_members_report(client, community, resident):
    client.force_login(resident)
    client.post(
        create_url(community), valid(kind=Alert.Kind.POLICE, communities=[community.id], whole_commune="on")
    )
    assert Alert.objects.get().kind == Alert.Kind.MEMBER
    client.post(create_url(community), valid(kind=Alert.Kind.NOTICE))
    assert set(Alert.objects.values_list("kind", flat=True)) == {Alert.Kind.MEMBER}


@pytest.mark.parametrize(
    "field, value",
    [
        ("description", ""),
        ("description", "é" * 2001),
        ("street", "12 rue des Lilas"),
        ("street", "3bis avenue Foch"),
        ("category", "ufo"),
        ("occurred_at", (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")),
    ],
)
def test_bad_input_shows_the_field_error_and_creates_nothing(client, community, resident, field, value):
    MembershipFactory(community=community)
    client.force_login(resident)
    response = client.post(create_url(community), valid(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert 'class="errorlist' in response.content.decode()
    assert not Alert.objects.exists() and not Delivery.objects.exists()


def test_visitor_is_sent_to_log_in(client, community):
    response = client.get(create_url(community))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(create_url(community), valid()).status_code == 302
    assert not Alert.objects.exists()


def test_pending_member_gets_404(client, community, pending_resident):
    client.force_login(pending_resident)
    assert client.get(create_url(community)).status_code == 404
    assert client.post(create_url(community), valid()).status_code == 404
    assert not Alert.objects.exists()


def test_member_of_another_community_gets_404(client, community, outsider):
    client.force_login(outsider)
    assert client.get(create_url(community)).status_code == 404
    assert client.post(create_url(community), valid()).status_code == 404
    assert not Alert.objects.exists()


def test_logged_in_non_member_gets_404(client, community):
    client.force_login(UserFactory())
    assert client.get(create_url(community)).status_code == 404
    assert not Alert.objects.exists()
