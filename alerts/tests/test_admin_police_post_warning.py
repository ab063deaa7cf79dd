"""The police's admin page for posting a warning: preview the recipients per channel, confirm,
then follow delivery. Only police officers reach it, and only for their own commune."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alerts.messages import police_message
from alerts.models import Alert, Delivery, NotificationPreference
from alerts.tests.factories import AlertFactory, PoliceOfficerFactory
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:alerts_alert_add")


@pytest.fixture
def commune(community):
    return community.neighbourhood.commune


@pytest.fixture
def officer(commune):
    return PoliceOfficerFactory(official_commune=commune)


@pytest.fixture
def town(community, commune):
    """Two neighbourhoods of the commune: the community's (with a second community) and another."""
    second = CommunityFactory(neighbourhood=community.neighbourhood)
    east = NeighbourhoodFactory(commune=commune)
    east_community = CommunityFactory(neighbourhood=east)
    members = {
        "verified": MembershipFactory(community=community).user,
        "unverified": MembershipFactory(community=community, user__phone_verified_at=None).user,
        "second": MembershipFactory(community=second).user,
        "east": MembershipFactory(community=east_community).user,
    }
    return {"second": second, "east": east, "east_community": east_community, "members": members}


def form_data(**overrides):
    data = {
        "kind": Alert.Kind.POLICE,
        "category": Alert.Category.BURGLARY,
        "urgency": Alert.Urgency.URGENT,
        "street": "avenue de la Gare",
        "description": "Série de cambriolages ce week-end : fermez vos portes et fenêtres.",
    }
    data.update(overrides)
    return data


def test_preview_shows_people_sms_and_emails_per_member_preferences_and_creates_nothing(
    client, officer, community, town, sms_outbox
):
    NotificationPreference.objects.create(user=town["members"]["verified"], urgent_email=False)
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(communities=[community.id]))
    assert response.status_code == 200
    # verified: SMS only (no email by choice); unverified: email only (no SMS to an unverified number)
    assert response.context["counts"] == {"people": 2, "sms": 1, "email": 1, "voice": 0}
    html = response.content.decode()
    assert 'data-count="people">2<' in html
    assert 'data-count="sms">1<' in html
    assert 'data-count="email">1<' in html
    assert 'name="confirm"' in html
    assert not Alert.objects.exists() and not Delivery.objects.exists()
    assert sms_outbox == [] and mail.outbox == []


def test_confirm_publishes_and_redirects_to_the_progress_page(
    client, officer, community, town, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, form_data(communities=[community.id], confirm="1"))
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:alerts_alert_change", args=[alert.id])
    assert alert.kind == Alert.Kind.POLICE and alert.author == officer
    assert alert.status == Alert.Status.PUBLISHED
    assert [m["to"] for m in sms_outbox] == [str(town["members"]["verified"].phone)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [town["members"]["verified"].email, town["members"]["unverified"].email]
    )

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-count="sms-sent">1<' in html
    assert 'data-count="sms-total">1<' in html
    assert 'data-count="email-sent">2<' in html
    assert 'data-count="email-total">2<' in html
    assert alert.get_status_display() in html


def test_progress_page_counts_queued_deliveries_before_they_leave(client, officer, community, town):
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(communities=[community.id], confirm="1"))  # no worker runs
    html = client.get(response["Location"]).content.decode()
    assert 'data-count="sms-queued">1<' in html
    assert 'data-count="email-queued">2<' in html
    assert 'data-count="sms-sent">0<' in html


def test_progress_page_stops_refreshing_once_every_delivery_is_final(client, officer, community, town):
    """Emails are final once sent; SMS once their receipt is no longer waited for (10 minutes)."""
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(communities=[community.id], confirm="1"))  # no worker runs
    assert '<meta http-equiv="refresh"' in client.get(response["Location"]).content.decode()
    alert = Alert.objects.get()
    long_ago = timezone.now() - timedelta(minutes=11)
    alert.deliveries.filter(channel=Delivery.Channel.SMS).update(
        status=Delivery.Status.SENT, sent_at=long_ago
    )
    alert.deliveries.filter(channel=Delivery.Channel.EMAIL).update(status=Delivery.Status.SENT)
    html = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh"' not in html
    assert 'data-count="sms-sent">1<' in html
    assert 'data-count="email-sent">2<' in html
    assert 'data-count="email-queued">0<' in html


def recipients(client, officer, **targets):
    client.force_login(officer)
    client.post(ADD_URL, form_data(confirm="1", **targets))
    alert = Alert.objects.get()
    return set(alert.deliveries.values_list("recipient_id", flat=True))


def test_whole_commune_reaches_every_member_of_the_commune_only(client, officer, town, outsider):
    reached = recipients(client, officer, whole_commune="on")
    assert reached == {u.id for u in town["members"].values()}
    assert outsider.id not in reached


def test_chosen_neighbourhood_reaches_the_members_of_its_communities(client, officer, town):
    assert recipients(client, officer, neighbourhoods=[town["east"].id]) == {town["members"]["east"].id}


def test_chosen_communities_reach_their_members_only(client, officer, town):
    assert recipients(client, officer, communities=[town["second"].id]) == {town["members"]["second"].id}


def test_a_member_of_two_targeted_communities_is_told_once_per_channel(client, officer, community, town):
    both = town["members"]["second"]
    MembershipFactory(community=community, user=both)
    client.force_login(officer)
    client.post(ADD_URL, form_data(confirm="1", communities=[community.id, town["second"].id]))
    assert Alert.objects.get().deliveries.filter(recipient=both).count() == 2  # one SMS, one email


def test_a_community_of_another_commune_is_refused_and_nothing_is_sent(
    client,
    officer,
    community,
    other_community,
    outsider,
    run_tasks,
    django_capture_on_commit_callbacks,
    sms_outbox,
):
    client.force_login(officer)
    for extra in ({}, {"confirm": "1"}):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                ADD_URL, form_data(communities=[community.id, other_community.id], **extra)
            )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert response.context["counts"] is None
    assert not Alert.objects.exists() and not Delivery.objects.exists()
    assert sms_outbox == [] and mail.outbox == []


def test_a_neighbourhood_of_another_commune_is_refused(client, officer, other_community):
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(neighbourhoods=[other_community.neighbourhood_id], confirm="1"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Alert.objects.exists()


def test_no_target_at_all_is_an_error(client, officer, town):
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(confirm="1"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Alert.objects.exists()


def test_a_house_number_in_the_street_is_refused(client, officer, community, town):
    client.force_login(officer)
    response = client.post(
        ADD_URL, form_data(communities=[community.id], street="12 rue des Lilas", confirm="1")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Alert.objects.exists()


def test_resident_cannot_reach_the_add_page(client, resident):
    client.force_login(resident)
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    response = client.post(ADD_URL, form_data(whole_commune="on", confirm="1"))
    assert response.status_code == 302
    assert not Alert.objects.exists()


def test_mayor_office_cannot_reach_the_add_page(client, mayor_office, town):
    client.force_login(mayor_office)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, form_data(whole_commune="on", confirm="1")).status_code == 403
    assert not Alert.objects.exists()


def test_police_of_another_commune_gets_404_on_the_progress_page(
    client, officer, community, town, other_community
):
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(communities=[community.id], confirm="1"))
    stranger = PoliceOfficerFactory(official_commune=other_community.neighbourhood.commune)
    client.force_login(stranger)
    assert client.get(response["Location"]).status_code == 404


def test_html_in_description_and_street_is_escaped_on_the_progress_page(client, officer, community, town):
    client.force_login(officer)
    response = client.post(
        ADD_URL,
        form_data(
            communities=[community.id],
            description='<script>alert("x")</script> Vol à la roulotte',
            street="<img src=x onerror=alert()> rue Haute",  # no digit: it would read as a house number
            confirm="1",
        ),
    )
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=alert()&gt; rue Haute" in html


def test_the_form_offers_only_the_communities_and_neighbourhoods_of_the_officers_commune(
    client, officer, community, town, other_community
):
    client.force_login(officer)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["communities"].queryset) == {community, town["second"], town["east_community"]}
    assert other_community.neighbourhood not in set(form.fields["neighbourhoods"].queryset)
    assert other_community.name not in response.content.decode()


def test_preview_of_a_notice_counts_the_referents_not_the_members(client, officer, community, town, referent):
    client.force_login(officer)
    response = client.post(ADD_URL, form_data(kind=Alert.Kind.NOTICE, communities=[community.id]))
    assert response.context["counts"] == {"people": 1, "sms": 1, "email": 1, "voice": 0}


# The warning of the issue that arrived as "Police mu...: ... trois cam...".
LONG_WARNING = (
    "Série de cambriolages ce week-end dans le quartier de la Gare : trois caves forcées, deux "
    "garages visités en plein après-midi. Fermez à clé portes, fenêtres et portails même pour une "
    "courte absence, et appelez le 17 si vous voyez quelqu'un forcer une porte."
)


def shown_sms(response) -> str:
    """The SMS text the confirmation step shows, as the officer reads it."""
    html = response.content.decode()
    shown = unescape(re.search(r"<samp data-sms-text>(.*?)</samp>", html, re.DOTALL).group(1))
    assert f'name="sms_text" value="{response.context["sms"]["text"]}"' in unescape(html)
    return shown


def test_the_confirmation_step_shows_the_very_sms_the_members_then_receive(
    client, officer, community, town, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(officer)
    data = form_data(communities=[community.id], description=LONG_WARNING)
    preview = client.post(ADD_URL, data)
    shown = shown_sms(preview)
    assert police_message(LONG_WARNING) in shown  # whole, in GSM-7
    assert preview.context["sms"]["segments"] == 2
    assert f"{len(shown)} caractères, 2 segments SMS" in preview.content.decode()
    assert not Alert.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {**data, "confirm": "1", "sms_text": shown})
    assert response.status_code == 302
    assert [m["body"] for m in sms_outbox] == [shown]


def test_a_message_too_long_for_the_police_sms_is_refused_with_the_counts_and_nothing_is_saved(
    client, officer, community, town, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(officer)
    description = "Fermez vos portes. " * 25  # 474 characters once trimmed
    for extra in ({}, {"confirm": "1"}):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                ADD_URL, form_data(communities=[community.id], description=description, **extra)
            )
        assert response.status_code == 200
        assert response.context["form"].errors["description"] == [
            "Un SMS de la police transmet le message en entier\u00a0: il peut contenir 459 caractères, "
            "et ce message en compte 474. Raccourcissez-le, s'il vous plaît."
        ]
        assert response.context["counts"] is None and response.context["sms"] is None
    assert not Alert.objects.exists() and not Delivery.objects.exists()
    assert sms_outbox == [] and mail.outbox == []


def test_a_message_of_exactly_the_allowed_length_is_accepted_and_sent_alone(client, officer, community, town):
    client.force_login(officer)
    description = "Fermez vos portes. " * 24 + "17."  # 459 characters
    response = client.post(ADD_URL, form_data(communities=[community.id], description=description))
    assert not response.context["form"].errors
    assert response.context["sms"] == {"text": description, "length": 459, "segments": 3}
    response = client.post(ADD_URL, form_data(communities=[community.id], description=description + "!"))
    assert "460" in response.context["form"].errors["description"][0]


@pytest.mark.parametrize("change", ["another alert took the number", "the officer edited the message"])
def test_an_sms_that_changed_since_the_confirmation_step_is_not_sent_but_shown_again(
    change, client, officer, community, town, run_tasks, django_capture_on_commit_callbacks, sms_outbox
):
    client.force_login(officer)
    data = form_data(communities=[community.id])
    shown = shown_sms(client.post(ADD_URL, data))
    if change == "another alert took the number":
        AlertFactory(commune=community.neighbourhood.commune, communities=[community])
    else:
        data["description"] = "Série de cambriolages : fermez vos portes."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {**data, "confirm": "1", "sms_text": shown})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Alert.objects.filter(kind=Alert.Kind.POLICE).exists()
    assert sms_outbox == []

    again = shown_sms(response)
    assert again != shown
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {**data, "confirm": "1", "sms_text": again})
    assert response.status_code == 302
    assert {m["body"] for m in sms_outbox} == {again}
