"""The browser harness itself: what every journey relies on."""

import threading
import urllib.error
import urllib.request

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 12
ROUNDS = 10


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


def test_simultaneous_requests_all_succeed(live_server, staff_user):
    """A browser loads a page and its scripts at once. On SQLite, without taking turns, some
    of these come back as errors (« database table is locked », « bad parameter or other API
    misuse ») or as the login form."""
    from django.test import Client

    client = Client()
    client.force_login(staff_user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    paths = ["/admin/jsi18n/", "/admin/", "/mon-espace/"]
    barrier = threading.Barrier(THREADS)
    failures = []

    def fetch(index):
        barrier.wait()
        for turn in range(ROUNDS):
            path = paths[(index + turn) % len(paths)]
            request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                    if not response.url.endswith(path):
                        failures.append((path, response.url))
            except urllib.error.HTTPError as error:
                failures.append((path, error.code))

    threads = [threading.Thread(target=fetch, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
