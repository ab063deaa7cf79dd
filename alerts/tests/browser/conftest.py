"""Browser journeys of the alerts app: headless Chromium through Playwright's sync API.

The Playwright set-up (one browser context per person, screenshots of every page on failure)
is vigilance/tests/browser_support.py, shared by every app.
"""

import pytest

from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, NeighbourhoodFactory


@pytest.fixture
def neighbours(community):
    """Two more approved members of `community`, with verified mobile numbers."""
    return [MembershipFactory(community=community).user for _ in range(2)]


@pytest.fixture
def second_neighbourhood_community(community):
    """A community of another neighbourhood of the same commune, with one member."""
    other = CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=community.neighbourhood.commune))
    MembershipFactory(community=other)
    return other
