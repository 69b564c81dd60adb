"""Security headers and settings: a strict Content Security Policy on the public pages, the
usual protective headers everywhere, framing refused except for the widget, production's
cookies and HSTS, rate-limited login and sign-up, and uploads checked (type, size, content) and
never served as a web page. `check --deploy` is run by tests/portal/test_production.py."""

import io
import json
import re
import subprocess
import sys

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest
from PIL import Image as PILImage

from accounts import throttle
from directory.forms import PlaceImportForm
from newsletter.forms import CsvImportForm
from numeritheque.forms import InspectionForm
from portal.settings import base as base_settings
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory
from tests.hardening.test_permission_matrix import close_streaming
from tests.portal.test_production import ROOT, production_env

pytestmark = pytest.mark.django_db

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_IMAGE = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def public_urls(db):
    session = SessionFactory()
    item = ItemFactory()
    return [
        "/",
        session.page.url,
        f"/agenda/sessions/{session.pk}/",
        "/annuaire/",
        f"/annuaire/{session.venue.pk}/",
        "/annuaire/orientation/",
        "/numeritheque/",
        f"/numeritheque/materiel/{item.slug}/",
        "/recherche/?q=rencontre",
        "/lettre/inscription/",
        "/comptes/login/",
        "/comptes/signup/",
        "/relayer/",
        "/donnees-ouvertes/",
    ]


def test_public_pages_allow_no_inline_script_without_the_nonce(client, public_urls):
    assert_scripts_are_files_data_or_nonced(client, public_urls)


def test_account_and_two_factor_pages_allow_no_inline_script_without_the_nonce(client):
    """allauth's pages in our layout, security keys (WebAuthn) included: its scripts are files
    and its parameters JSON data."""
    client.force_login(UserFactory())
    assert_scripts_are_files_data_or_nonced(
        client,
        [
            "/comptes/email/",
            "/comptes/password/change/",
            "/comptes/2fa/",
            "/comptes/2fa/webauthn/",
            "/comptes/reauthenticate/",
        ],
    )


def assert_scripts_are_files_data_or_nonced(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp_directives(response["Content-Security-Policy"])
        scripts = policy["script-src"]
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
        # Django adds the nonce only to the responses that used it.
        nonces = [word[len("'nonce-") : -1] for word in scripts if word.startswith("'nonce-")]
        assert len(nonces) <= 1, url
        nonce = nonces[0] if nonces else None
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        # Every script element is a file, carries this response's nonce, or is data.
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            if re.search(r'type="application/(ld\+)?json"', tag):
                continue
            assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), f"{url}: {tag}"


def test_protective_headers_on_pages_downloads_and_admin(client, public_urls):
    downloads = [
        "/agenda/feed.ics",
        "/donnees-ouvertes/lieux.csv",
        "/api/v1/sessions",
        "/robots.txt",
    ]
    for url in [*public_urls, *downloads]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        # One framing policy, said the same way by both headers: never framed.
        assert response["X-Frame-Options"] == "DENY", url
        if "Content-Security-Policy" in response:
            policy = csp_directives(response["Content-Security-Policy"])
            assert policy["frame-ancestors"] == ["'none'"], url
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        assert features["camera"] == features["geolocation"] == features["payment"] == "()", url
    client.force_login(UserFactory(is_superuser=True))
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert admin["X-Content-Type-Options"] == "nosniff"
    # Wagtail previews pages in an iframe of the admin itself.
    assert admin["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(admin["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
    assert "Permissions-Policy" in admin


def project_templates():
    """Every template the project ships: the site's, the apps', allauth's overrides and our
    admin extensions."""
    for template in sorted(
        [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    ):
        if ".venv" not in template.parts:
            yield template


def test_no_template_of_ours_carries_an_inline_script_without_the_nonce():
    """Every script element of ours is a file, JSON data, or carries the request's nonce, and
    no element has an inline handler (onclick=…): our admin extensions included. The admin's
    policy keeps 'unsafe-inline' for Wagtail's own templates only (its date and time choosers
    and inline panels still write inline scripts), so that it can drop it the day Wagtail does."""
    templates = list(project_templates())
    assert any("/admin/" in str(template) for template in templates)
    offenders = []
    for template in templates:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            data = re.search(r'type="application/(ld\+)?json"', tag)
            if not data and "src=" not in tag and 'nonce="{{ csp_nonce }}"' not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
        offenders += [
            f"{template.relative_to(ROOT)}: {handler}"
            for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", text)
        ]
    assert not offenders, offenders


def test_python_code_writes_no_script_element_without_the_nonce():
    """HTML built in Python (template tags, admin hooks) follows the same rule."""
    offenders = []
    for module in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in module.parts or module.parts[len(ROOT.parts)] == "tests":
            continue
        # A string that starts with a script element (prose about one is not code).
        for tag in re.findall(r"[\"']<script\b[^>]*>", module.read_text()):
            if 'type="application/ld+json"' not in tag and "src=" not in tag:
                offenders.append(f"{module.relative_to(ROOT)}: {tag}")
    assert not offenders, offenders


def test_only_the_widget_may_be_framed_by_any_site(client, db):
    response = client.get("/widget/agenda/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["*"]
    # Framed anywhere, it still runs no inline script without its nonce.
    assert "'unsafe-inline'" not in policy["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Production settings ---------------------------------------------------------------------

PRINT_SETTINGS = """
import json
from portal.settings import production as settings
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "WAGTAILDOCS_SERVE_METHOD",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def production_settings(**env) -> subprocess.CompletedProcess:
    """The production settings module read in a fresh interpreter, with its environment."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_production_cookies_are_secure_and_hsts_is_on():
    result = production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["X_FRAME_OPTIONS"] in {"DENY", "SAMEORIGIN"}
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_production_wants_the_webhook_secret_with_brevo():
    """Without it, anyone could post a fake bounce and suspend a subscriber."""
    result = production_settings(BREVO_API_KEY="cle-brevo")
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stderr
    assert (
        production_settings(
            BREVO_API_KEY="cle-brevo", ANYMAIL_WEBHOOK_SECRET="webhook:secret"
        ).returncode
        == 0
    )


# --- Rate limits (the test settings switch them off; they are switched back on here) ---------


@pytest.fixture
def real_rate_limits():
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS):
        yield base_settings.ACCOUNT_RATE_LIMITS
    cache.clear()


def limit_count(rule: str, per: str) -> int:
    """'5/5m/key,20/5m/ip' → 20 for per='ip'."""
    return next(int(part.split("/")[0]) for part in rule.split(",") if part.endswith(f"/{per}"))


def test_sign_up_is_rate_limited_per_address(client, real_rate_limits):
    allowed = limit_count(real_rate_limits["signup"], "ip")
    statuses = [
        client.post(
            "/comptes/signup/",
            {"email": "pas-une-adresse", "password1": "x", "password2": "y"},
        ).status_code
        for _attempt in range(allowed + 1)
    ]
    assert 429 not in statuses[:allowed]
    assert statuses[-1] == 429


def test_failed_logins_are_slowed_per_account_and_limited_per_address(client, real_rate_limits):
    """Per account, a delay (accounts/throttle.py, tests/accounts/test_throttle.py); per
    client address, allauth's limit."""
    user = UserFactory()
    for _attempt in range(throttle.FREE_FAILURES):
        client.post("/comptes/login/", {"login": user.email, "password": "mauvais"})
    response = client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    per_address = limit_count(real_rate_limits["login_failed"], "ip")
    for number in range(per_address):
        client.post("/comptes/login/", {"login": f"inconnu{number}@exemple.fr", "password": "x"})
    other = UserFactory()
    client.post("/comptes/login/", {"login": other.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session


# --- Uploads ---------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "steelblue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("form_class", [PlaceImportForm, CsvImportForm])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML_PAGE),
        ("dessin.svg", SVG_IMAGE),
        ("deguise.csv", HTML_PAGE),
        ("deguise.csv", b"\xef\xbb\xbf  " + SVG_IMAGE),
    ],
)
def test_imports_refuse_markup_files(form_class, name, content):
    form = form_class(
        {"source": "Hub"}, {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )
    assert not form.is_valid()
    assert form.errors["file"]


@pytest.mark.parametrize("form_class", [PlaceImportForm, CsvImportForm])
def test_imports_refuse_files_over_the_size_limit(settings, form_class):
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("gros.csv", b"email\n" + b"a@exemple.fr\n" * 100)
    form = form_class({"source": "Hub"}, {"file": big})
    assert not form.is_valid()
    assert "trop lourd" in form.errors["file"][0]
    settings.MAILLAGE_UPLOAD_MAX_BYTES = 10_000
    form = form_class({"source": "Hub"}, {"file": big.open()})
    assert form.is_valid(), form.errors


def test_newsletter_import_refuses_an_html_file_through_the_admin(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/admin/lettre/abonnes/import/",
        {"source": "Salon", "file": SimpleUploadedFile("liste.csv", HTML_PAGE)},
    )
    assert response.status_code == 400
    assert "HTML" in response.content.decode()


@pytest.fixture
def booking_to_check_out(db):
    from numeritheque import services
    from tests.factories.numeritheque import days, manager_of_structure

    manager, structure = manager_of_structure()
    booking = services.booking_request(
        requester=manager,
        structure=structure,
        items=[ItemFactory()],
        start=days(0),
        end=days(2),
        purpose="Atelier",
    )
    return booking


@pytest.mark.parametrize(
    ("name", "content"),
    [("etat.svg", SVG_IMAGE), ("etat.png", HTML_PAGE), ("etat.html", HTML_PAGE)],
)
def test_inspection_photo_must_be_a_real_image(booking_to_check_out, name, content):
    form = InspectionForm(
        {"condition_notes": ""},
        {"photos": SimpleUploadedFile(name, content)},
        booking=booking_to_check_out,
        with_damage=False,
    )
    assert not form.is_valid()
    assert form.errors["photos"]


def test_inspection_photo_size_is_limited(settings, booking_to_check_out):
    photo = SimpleUploadedFile("etat.png", png_bytes(), content_type="image/png")
    form = InspectionForm({}, {"photos": photo}, booking=booking_to_check_out, with_damage=False)
    assert form.is_valid(), form.errors
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    form = InspectionForm(
        {}, {"photos": photo.open()}, booking=booking_to_check_out, with_damage=False
    )
    assert not form.is_valid()
    assert "trop lourd" in form.errors["photos"][0]


def test_wagtail_refuses_html_and_svg_documents_and_images(client, staff_user):
    client.force_login(staff_user)
    collection = Collection.get_first_root_node().pk
    for name in ("page.html", "dessin.svg", "page.htm", "script.js"):
        response = client.post(
            "/admin/documents/add/",
            {
                "title": name,
                "collection": collection,
                "file": SimpleUploadedFile(name, HTML_PAGE),
            },
        )
        assert response.status_code == 200, name
    assert not get_document_model().objects.exists()
    for name, content in (("dessin.svg", SVG_IMAGE), ("deguise.png", HTML_PAGE)):
        response = client.post(
            "/admin/images/add/",
            {"title": name, "collection": collection, "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 200, name
    assert not get_image_model().objects.exists()


def test_documents_are_downloaded_never_rendered(client, db):
    from django.core.files.base import ContentFile

    document = get_document_model().objects.create(
        title="Notes", file=ContentFile(HTML_PAGE, name="notes.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert not response["Content-Type"].startswith("text/html")
    close_streaming(response)
