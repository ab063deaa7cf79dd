"""Browser journeys of the alerts app: headless Chromium through Playwright's sync API.

The Playwright set-up (one browser context per person, screenshots of every page on failure)
is the platform's, imported from vigilance/tests/browser; only `browser` is our own, see below.
"""

import gc
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, sync_playwright

from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, NeighbourhoodFactory
from vigilance.roles import POLICE_GROUP
from vigilance.tests.browser.conftest import (  # noqa: F401 - fixtures and the failure hook
    CHROMIUM,
    CHROMIUM_ARGS,
    _role_groups,
    new_page,
    pytest_runtest_makereport,
)
from vigilance.tests.factories import UserFactory


def _chromium_already_running() -> Browser | None:
    """The Chromium that vigilance/tests/browser's session fixture launched, if it ran first.

    Playwright's sync API runs once per thread: a second `sync_playwright()` while the first is
    alive fails ("using Playwright Sync API inside the asyncio loop"), which is what happens
    when `make test` runs both folders. pytest offers no public way to reach a fixture of
    another directory, so the running browser is looked up among live objects. A `browser`
    fixture in the root conftest, shared by every browser folder, would make this unnecessary.
    """
    return next((o for o in gc.get_objects() if isinstance(o, Browser) and o.is_connected()), None)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """The running Chromium if there is one; otherwise our own, closed when this folder is done
    so that a session fixture that comes after can start Playwright again."""
    running = _chromium_already_running()
    if running is not None:
        yield running
        return
    playwright = sync_playwright().start()
    own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield own
    own.close()
    playwright.stop()


@pytest.fixture
def neighbours(community):
    """Two more approved members of `community`, with verified mobile numbers."""
    return [MembershipFactory(community=community).user for _ in range(2)]


@pytest.fixture
def police_officer(community):
    """A municipal police officer of `community`'s commune."""
    officer = UserFactory(is_staff=True, official_commune=community.neighbourhood.commune)
    officer.groups.add(Group.objects.get(name=POLICE_GROUP))
    return officer


@pytest.fixture
def second_neighbourhood_community(community):
    """A community of another neighbourhood of the same commune, with one member."""
    other = CommunityFactory(neighbourhood=NeighbourhoodFactory(commune=community.neighbourhood.commune))
    MembershipFactory(community=other)
    return other
