"""Journey 4: members see their community's directory; contact details only if the member chose."""

import pytest
from django.urls import reverse

from neighbourhoods.tests.factories import MembershipFactory

from .helpers import form_with, snapshot, submit, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def neighbour(community):
    """A second member, who has not (yet) chosen to show a phone number or an email address."""
    return MembershipFactory(community=community, street="rue des Roses", user__phone="+33698765432").user


def directory_entry(page, person):
    return page.locator("main .directory li", has_text=person.get_full_name())


def test_member_sees_names_and_streets_and_only_the_contact_details_a_member_shows(
    new_page, community, resident, neighbour
):
    directory_url = reverse("neighbourhoods:directory", args=[community.id])
    viewer = new_page(user=resident)
    viewer.goto(directory_url)
    snapshot(viewer, "directory")
    assert "rue des Lilas" in directory_entry(viewer, resident).inner_text()
    entry = directory_entry(viewer, neighbour)
    assert "rue des Roses" in entry.inner_text()
    assert entry.locator("a[href^='tel:']").count() == 0
    assert entry.locator("a[href^='mailto:']").count() == 0

    owner = new_page(user=neighbour)
    owner.goto(reverse("profile"))
    assert unlabelled_fields(owner) == []
    owner.check("input[name=show_phone]")
    submit(owner, form_with(owner, "input[name=show_phone]"))
    neighbour.refresh_from_db()
    assert (neighbour.show_phone, neighbour.show_email) == (True, False)

    viewer.reload()
    entry = directory_entry(viewer, neighbour)
    assert entry.locator("a[href='tel:+33698765432']").inner_text().replace("\u00a0", " ") == "06 98 76 54 32"
    assert entry.locator("a[href^='mailto:']").count() == 0

    owner.goto(reverse("profile"))
    owner.uncheck("input[name=show_phone]")
    owner.check("input[name=show_email]")
    submit(owner, form_with(owner, "input[name=show_email]"))

    viewer.reload()
    entry = directory_entry(viewer, neighbour)
    assert entry.locator("a[href^='tel:']").count() == 0
    assert entry.locator(f"a[href='mailto:{neighbour.email}']").is_visible()
    member_url = reverse("neighbourhoods:member", args=[community.id, neighbour.memberships.get().id])
    viewer.goto(member_url)
    assert viewer.locator(f"main a[href='mailto:{neighbour.email}']").is_visible()
    assert viewer.locator("main a[href^='tel:']").count() == 0


@pytest.fixture
def member_pages(community, resident):
    resident.last_name = "Kerouredan-Lelièvre"  # a name no page could show by chance
    resident.save()
    membership = resident.memberships.get()
    return [
        reverse("neighbourhoods:directory", args=[community.id]),
        reverse("neighbourhoods:member", args=[community.id, membership.id]),
    ]


@pytest.mark.parametrize("who", ["pending_resident", "outsider"])
def test_pending_member_and_member_of_another_community_get_404(
    new_page, member_pages, resident, who, request
):
    page = new_page(user=request.getfixturevalue(who))
    for url in member_pages:
        response = page.goto(url)
        assert response.status == 404, url
        assert resident.last_name not in page.content()
        # The answer is a page of the site: emergency numbers and a way home, not a bare error.
        assert page.locator("a[href='tel:17']").is_visible()
        assert page.locator(f"main a[href='{reverse('home')}']").is_visible()


def test_visitor_gets_404_with_a_way_to_log_in(page, member_pages, resident):
    """A visitor gets 404, as for a directory that does not exist, and can log in from there."""
    for url in member_pages:
        response = page.goto(url)
        assert response.status == 404, url
        assert resident.last_name not in page.content()
        login = page.locator(f"main a[href^='{reverse('account_login')}']")
        assert login.is_visible()
        assert "next=" in login.get_attribute("href")
