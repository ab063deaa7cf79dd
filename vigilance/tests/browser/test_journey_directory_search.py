"""Journey: a member of a large community searches the directory and pages through it."""

import pytest
from django.urls import reverse

from neighbourhoods.tests.bulk import bulk_members
from neighbourhoods.tests.factories import MembershipFactory

from .helpers import path_of, snapshot, unlabelled_fields

pytestmark = pytest.mark.browser


@pytest.fixture
def crowd(community):
    """130 members ("Membre 000"...), 60 of them in the rue de l'Église."""
    bulk_members(community, 70, prefix="Membre")
    bulk_members(community, 60, prefix="Membre Église", street="rue de l'Église")


def entries(page):
    return page.locator("main .directory li")


def test_member_searches_the_directory_and_pages_through_it(new_page, community, resident, crowd):
    helene = MembershipFactory(
        community=community, user__first_name="Hélène", user__last_name="Kerouredan", street="rue des Roses"
    ).user
    page = new_page(user=resident)
    directory_url = reverse("neighbourhoods:directory", args=[community.id])
    page.goto(directory_url)
    assert unlabelled_fields(page) == []
    assert entries(page).count() == 50
    snapshot(page, "directory-page-1")

    # The next page, from the keyboard; the link is big enough to tap.
    next_link = page.locator("main nav.pagination a[rel=next]")
    box = next_link.bounding_box()
    assert box["height"] >= 44
    next_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == f"{directory_url}?page=2"
    assert entries(page).count() == 50
    assert page.locator("main nav.pagination a[rel=prev]").is_visible()

    # A search without accents finds her, whichever page the member was on.
    page.fill("input[name=q]", "helene")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert entries(page).count() == 1
    assert "rue des Roses" in entries(page).first.inner_text()
    assert helene.last_name in entries(page).first.inner_text()
    assert page.locator("main nav.pagination").count() == 0

    # A search by street with many results is paged too, and the next page keeps the search.
    page.fill("input[name=q]", "eglise")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert entries(page).count() == 50
    with page.expect_navigation():
        page.click("main nav.pagination a[rel=next]")
    assert path_of(page) == f"{directory_url}?q=eglise&page=2"
    assert entries(page).count() == 10
    assert all("rue de l'Église" in text for text in entries(page).all_inner_texts())
    assert page.input_value("input[name=q]") == "eglise"
    snapshot(page, "directory-search-page-2")

    # Nothing found: said plainly, with a way back to everyone.
    page.fill("input[name=q]", "zzz")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert entries(page).count() == 0
    assert page.locator("main p.notice").is_visible()
    with page.expect_navigation():
        page.click(f"main form[role=search] a[href='{directory_url}']")
    assert entries(page).count() == 50
