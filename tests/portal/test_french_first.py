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
from tests.factories.events import SessionFactory, conference_page
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


# Inputs a browser checks itself when the form is sent, with a message in the browser's own
# language (« Please fill out this field. »): the form must say `novalidate`, so that the
# portal's French errors, next to the field, are what people read.
BROWSER_CHECKED = ("email", "url", "number", "date", "time", "datetime-local", "tel")


class _SelfCheckingForms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = {"action": attributes.get("action") or "", "checked": False}
            if "novalidate" not in attributes:
                self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            constrained = {"required", "pattern", "min", "max", "minlength"} & set(attributes)
            if constrained or attributes.get("type") in BROWSER_CHECKED:
                self._current["checked"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def self_checking_forms(html: str) -> list[str]:
    """The forms the browser would check in its own language (no `novalidate`)."""
    parser = _SelfCheckingForms()
    parser.feed(html)
    return [f"form {form['action']!r} sans novalidate" for form in parser.forms if form["checked"]]


def english_leaks(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return sorted(set(TELL_TALE.findall(" ".join(parser.parts))))


def french_problems(client, urls) -> dict:
    problems = {}
    for url in urls:
        html = client.get(url).content.decode()
        found = english_leaks(html) + self_checking_forms(html)
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


ENGLISH_COOKIE = {"django_language": "en"}


@pytest.mark.parametrize("cookie", [{}, ENGLISH_COOKIE], ids=["header", "header+cookie"])
def test_a_language_cookie_does_not_bring_english_back(db, cookie):
    """The portal has no English translation of its own strings: a `django_language=en`
    cookie (another site's, or an old pick) changes nothing, on the login page, a form
    error and a date."""
    SessionFactory(page=conference_page(title="Rencontre régionale"), title="Atelier")
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    client.cookies.load(cookie)
    login = client.get("/comptes/login/")
    error = client.post("/comptes/login/", {"login": "", "password": ""})
    agenda = client.get("/agenda/")
    for response in (login, error, agenda):
        assert '<html lang="fr">' in response.content.decode()
        assert response["Content-Language"] == "fr"
    assert "Mot de passe" in login.content.decode()
    assert "Champ requis." in error.content.decode()
    assert re.search(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d", agenda.text)
    assert english_leaks(login.text + error.text + agenda.text) == []


def test_a_language_is_offered_only_with_a_translation(settings, tmp_path):
    """core.checks: offering English (to visitors or to Wagtail's editors) without a catalogue
    of the portal's strings is an error of `manage.py check`; with one, it is allowed."""
    from core.checks import offered_languages_have_a_catalogue

    assert offered_languages_have_a_catalogue() == []
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    settings.LOCALE_PATHS = [tmp_path]
    assert [error.id for error in offered_languages_have_a_catalogue()] == ["core.E001"]
    settings.LANGUAGES = [("fr", "Français")]
    settings.WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
    assert [error.id for error in offered_languages_have_a_catalogue()] == ["core.E001"]
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "en" / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    assert offered_languages_have_a_catalogue() == []


def test_the_admin_is_french_for_an_english_editor(db):
    """Wagtail's admin follows the portal's languages: French for a browser and a cookie in
    English, its sign-in page included, and no English to pick in the account settings."""
    from tests.factories.accounts import hub_staff

    anonymous = Client(headers={"accept-language": "en"})
    anonymous.cookies.load(ENGLISH_COOKIE)
    sign_in = anonymous.get("/admin/login/").content.decode()
    assert "Mot de passe" in sign_in
    assert english_leaks(sign_in) == []
    editor = Client(headers={"accept-language": "en"})
    editor.cookies.load(ENGLISH_COOKIE)
    editor.force_login(hub_staff())
    home = editor.get("/admin/").content.decode()
    assert '<html lang="fr"' in home
    assert "Tableau de bord" in home
    account = editor.get("/admin/account/").content.decode()
    assert 'value="en"' not in account


def test_an_editor_who_picked_english_is_french_again(db):
    """The migration that took English away forgets the English preference Wagtail would
    otherwise keep applying."""
    from importlib import import_module

    from django.apps import apps

    from wagtail.users.models import UserProfile

    from tests.factories.accounts import hub_staff

    english, french = hub_staff(), hub_staff()
    UserProfile.objects.create(user=english, preferred_language="en")
    UserProfile.objects.create(user=french, preferred_language="fr")
    migration = import_module("accounts.migrations.0003_admin_language_french")
    migration.forget_unoffered_languages(apps, None)
    assert UserProfile.get_for_user(english).preferred_language == ""
    assert UserProfile.get_for_user(french).preferred_language == "fr"
    client = Client()
    client.force_login(english)
    assert "Tableau de bord" in client.get("/admin/").content.decode()


def test_a_form_the_browser_would_check_is_caught():
    assert self_checking_forms('<form action="/a"><input type="email" name="e"></form>') == [
        "form '/a' sans novalidate"
    ]
    assert self_checking_forms('<form novalidate><input required name="e"></form>') == []
    assert self_checking_forms('<form><input type="text" name="q"></form>') == []


def test_the_tell_tale_words_are_caught():
    assert english_leaks('<p>Sign In</p><input type="password" placeholder="Password">') == [
        "Password",
        "Sign In",
    ]
    assert english_leaks('<input type="password" autocomplete="current-password">') == []
