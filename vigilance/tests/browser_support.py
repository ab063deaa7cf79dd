"""Browser-test support shared by every app: one headless Chromium (Debian's /usr/bin/chromium)
for the whole session, driven by Playwright's sync API against pytest-django's live server.

Registered as a plugin by the root conftest. Playwright's sync API can run only once per
thread, hence a single session-wide `browser` fixture that every browser folder uses.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """Opens a page in a fresh browser context: one person, one browser.

    `user=` logs someone in by session cookie, for journeys where logging in is not the point.
    On failure every page opened by the test is saved as a screenshot in FAILURE_DIR.
    """
    contexts = []

    def open_page(*, viewport=MOBILE, user=None):
        context = browser.new_context(
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


@pytest.fixture
def page(new_page):
    """A visitor's page on a phone-sized screen."""
    return new_page()


def _session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
