"""French first, one language per page: a browser set to English still gets French pages
(lang, allauth's forms, Django's form errors, dates), on every page type (derived, as the phone
test does) public and signed in; English only when the person picks it."""

import io
import re
from html.parser import HTMLParser

from django.core.management import call_command
from django.test import Client

import pytest

from accounts.models import User
from portal.demo import MEDIATOR_EMAIL, STAFF_EMAIL
from tests.page_types import PageTypes, public_page_urls, signed_in_page_urls

ENGLISH = Client(headers={"accept-language": "en-GB,en;q=0.9"})
# Words that betray an English page among French ones: allauth's, Django's and the dates'.
TELL_TALE = re.compile(
    r"\b(Sign In|Sign Up|Sign Out|Password|Remember Me|Forgot your|Email address"
    r"|This field is required|Select a valid choice|Enter a valid|Ensure this value"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|January|February|April|June|July|August|October|December"
    r"|Next|Previous|Search|Submit)\b"
)


class _VisibleText(HTMLParser):
    """The text a person reads or hears: element text, labels, placeholders, alt and title
    (never tag names or technical attributes such as type="password")."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self._skipped = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipped += 1
        for name, value in attrs:
            if name in ("placeholder", "alt", "title", "aria-label") and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skipped -= 1

    def handle_data(self, data):
        if not self._skipped:
            self.parts.append(data)


def english_leaks(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return sorted(set(TELL_TALE.findall(" ".join(parser.parts))))


def french_problems(client, urls) -> dict:
    problems = {}
    for url in urls:
        html = client.get(url).content.decode()
        found = english_leaks(html)
        if '<html lang="fr">' not in html:
            found.append("lang")
        if found:
            problems[url] = found
    return problems


@pytest.fixture
def hub(db):
    call_command("load_demo", stdout=io.StringIO())


def test_every_page_type_is_french_for_an_english_browser(hub):
    types = PageTypes()
    seen = set()
    public = public_page_urls(ENGLISH, types, seen)
    problems = french_problems(ENGLISH, public)
    for email in (MEDIATOR_EMAIL, STAFF_EMAIL):
        client = Client(headers={"accept-language": "en"})
        client.force_login(User.objects.get(email=email))
        urls = signed_in_page_urls(client, types, set(seen))
        problems |= {f"{email} {url}": leak for url, leak in french_problems(client, urls).items()}
    assert problems == {}


def test_form_errors_and_dates_are_french(hub):
    """Django's and allauth's messages, a refused choice and a date, with Accept-Language: en."""
    login = ENGLISH.post("/comptes/login/", {"login": "", "password": ""}).content.decode()
    assert "Champ requis." in login
    agenda = ENGLISH.get("/agenda/?kind=nimportequoi").content.decode()
    assert "Sélectionnez un choix valide" in agenda
    assert english_leaks(login + agenda) == []
    assert re.search(
        r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
        ENGLISH.get("/agenda/").content.decode(),
    )


def test_english_when_the_person_picks_it(db, client):
    """A person's explicit pick (Django's language cookie) wins; the browser's header alone
    never does."""
    client.cookies["django_language"] = "en"
    response = client.get("/comptes/login/")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Cookie" in response["Vary"]


def test_the_tell_tale_words_are_caught():
    assert english_leaks('<p>Sign In</p><input type="password" placeholder="Password">') == [
        "Password",
        "Sign In",
    ]
    assert english_leaks('<input type="password" autocomplete="current-password">') == []
