"""The directory of a community, as its members see it."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def url(community):
    return reverse("neighbourhoods:directory", args=[community.id])


def test_member_names_and_streets_are_escaped(client, community, resident):
    MembershipFactory(
        community=community, user__first_name=SCRIPT, user__last_name="O'Brien", street=f"rue {SCRIPT}"
    )
    client.force_login(resident)

    html = client.get(url(community)).content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien" in html
    assert "rue &lt;script&gt;" in html


def test_member_card_escapes_the_name(client, community, resident):
    member = MembershipFactory(community=community, user__last_name=SCRIPT)
    client.force_login(resident)

    html = client.get(reverse("neighbourhoods:member", args=[community.id, member.id])).content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_directory_lists_approved_members_only(client, community, resident):
    pending = MembershipFactory(
        community=community, status=Membership.Status.PENDING, user__last_name="Enattente"
    ).user
    left = MembershipFactory(
        community=community, status=Membership.Status.LEFT, user__last_name="Partie"
    ).user
    client.force_login(resident)

    response = client.get(url(community))

    assert [m.user for m in response.context["members"]] == [resident]
    html = response.content.decode()
    assert pending.email not in html and pending.last_name not in html
    assert left.email not in html and left.last_name not in html


def test_phone_and_email_are_shown_only_when_the_member_chose_to(client, community, resident):
    shy = MembershipFactory(community=community, user__show_phone=False, user__show_email=False).user
    open_ = MembershipFactory(community=community, user__show_phone=True, user__show_email=True).user
    client.force_login(resident)

    html = client.get(url(community)).content.decode()

    assert shy.email not in html
    assert shy.phone.as_national not in html
    assert open_.email in html
    assert open_.phone.as_national in html
