"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against the live server.

The same set-up as vigilance/tests/browser: one browser, one context per person, people logged
in by session cookie, screenshots of every page of a failed test.
"""
