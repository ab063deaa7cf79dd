"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against the live server.

The same set-up as vigilance/tests/browser: one browser, one context per person, people logged
in by session cookie, screenshots of every page of a failed test.
"""

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FAILURE_DIR = Path("/tmp/vigilance-browser-failures")
TIMEOUT_MS = 10_000
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _chromium_already_running() -> Browser | None:
    """The Chromium another browser folder's fixture launched and still holds, if any.

    Playwright's sync API runs once per thread: a second `sync_playwright()` while the first is
    alive fails ("using Playwright Sync API inside the asyncio loop"), which is what happens when
    one pytest run covers vigilance/tests/browser (a session fixture) and this folder. pytest has
    no public way to reach another directory's fixture, so the running browser is looked up among
    live objects, as alerts/tests/browser does. A `browser` fixture in the root conftest, shared
    by every browser folder, would make this unnecessary.
    """
    return next((o for o in gc.get_objects() if isinstance(o, Browser) and o.is_connected()), None)


@pytest.fixture(scope="package")
def shop_browser() -> Iterator[Browser]:
    """The running Chromium if there is one; otherwise our own, closed when this folder is done
    so that a session fixture that comes after can start Playwright again."""
    running = _chromium_already_running()
    if running is not None:
        yield running
        return
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """Recreates the role groups of the data migration: transactional tests flush them."""
    from django.contrib.auth.models import Group

    from vigilance.roles import MAYOR_OFFICE_GROUP, POLICE_GROUP

    for name in (MAYOR_OFFICE_GROUP, POLICE_GROUP):
        Group.objects.get_or_create(name=name)


@pytest.fixture
def new_page(shop_browser, live_server, request) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh browser context: one person, one browser."""
    contexts = []

    def open_page(*, viewport=MOBILE, user=None) -> Page:
        context = shop_browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport=viewport, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        if user is not None:
            context.add_cookies([_session_cookie(user, live_server.url)])
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page_number, page in enumerate(context.pages):
                try:
                    page.screenshot(
                        path=str(FAILURE_DIR / f"{request.node.name}-{number}-{page_number}.png"),
                        full_page=True,
                    )
                except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
                    continue
    for context in contexts:
        context.close()


def _session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
