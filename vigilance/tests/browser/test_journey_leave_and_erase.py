"""Journey 6: a member leaves a community, downloads their data and erases their account."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from neighbourhoods.models import Community, Membership
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, ReferentFactory

from .helpers import form_with, is_logged_in, path_of, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def leaver(community, resident):
    """A member of two communities who is also the neighbourhood's referent: they created the
    second community and approved a neighbour's request."""
    ReferentFactory(neighbourhood=community.neighbourhood, user=resident)
    created = CommunityFactory(neighbourhood=community.neighbourhood, name="Les Lilas", created_by=resident)
    MembershipFactory(community=created, user=resident, street="rue des Lilas")
    return resident


@pytest.fixture
def neighbour(community, leaver):
    """A member of both communities, approved by the leaver."""
    created = Community.objects.get(name="Les Lilas")
    MembershipFactory(community=created, street="rue des Roses", decided_by=leaver)
    return MembershipFactory(
        community=community, user=created.memberships.get(street="rue des Roses").user
    ).user


def directory_names(page, community):
    page.goto(reverse("neighbourhoods:directory", args=[community.id]))
    return page.locator("main .directory .member-name").all_inner_texts()


def test_member_leaves_downloads_their_data_and_erases_their_account(new_page, community, leaver, neighbour):
    created = Community.objects.get(name="Les Lilas")
    decided = Membership.objects.get(community=created, user=neighbour)
    others = new_page(user=neighbour)
    assert leaver.get_full_name() in directory_names(others, created)

    page = new_page(user=leaver)
    page.goto(reverse("neighbourhoods:my_communities"))
    leaving = Membership.objects.get(community=created, user=leaver)
    submit(
        page, page.locator(f"form[action='{reverse('neighbourhoods:membership_leave', args=[leaving.id])}']")
    )
    leaving.refresh_from_db()
    assert leaving.status == Membership.Status.LEFT
    assert leaver.get_full_name() not in directory_names(others, created)
    assert leaver.get_full_name() in directory_names(others, community)

    page.goto(reverse("profile"))
    with page.expect_download() as download:
        page.click(f"main a[href='{reverse('profile_export')}']")
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == leaver.email
    assert sorted((m["community"], m["status"]) for m in data["memberships"]) == sorted(
        [(community.name, "approved"), (created.name, "left")]
    )

    page.goto(reverse("account_delete"))
    page.check("input[name=confirm]")
    submit(page, form_with(page, "input[name=confirm]"))
    assert path_of(page) == reverse("home")
    assert page.locator("main .messages .message-success").is_visible()
    assert not is_logged_in(page)
    assert not User.objects.filter(email=leaver.email).exists()

    assert leaver.get_full_name() not in directory_names(others, community)
    assert neighbour.get_full_name() in directory_names(others, community)
    created.refresh_from_db()
    decided.refresh_from_db()
    assert created.created_by is None
    assert (decided.status, decided.decided_by) == (Membership.Status.APPROVED, None)
    assert others.goto(reverse("neighbourhoods:directory", args=[created.id])).status == 200
