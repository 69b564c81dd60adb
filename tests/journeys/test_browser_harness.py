"""The browser harness itself: what every journey relies on."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_send_no_beacons(page, browser, live_server):
    """A beacon sent as a page closes (Wagtail's editing-session release) would reach the live
    server after the test, unseen by Playwright: every context has them switched off."""
    page.goto("/")
    assert page.evaluate("String(navigator.sendBeacon)") == "() => true"
    other = browser.new_context(base_url=live_server.url)
    try:
        other_page = other.new_page()
        other_page.goto("/")
        assert other_page.evaluate("String(navigator.sendBeacon)") == "() => true"
    finally:
        other.close()
