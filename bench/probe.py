"""The attacker's probe (issue 15), re-run on production settings: gunicorn on loopback,
PostgreSQL, Redis, two-factor required for staff, real logins (staff type their TOTP code).

    .venv/bin/python bench/probe.py        (PROBE_DATABASE, BENCH_POSTGRES, BENCH_REDIS_URL)

Every role signs in over HTTP and requests every case of the permission matrix
(tests/hardening/test_permission_matrix.py: each URL of the site, its cross-owner cases and
POSTs); an answer other than the expected one is counted, and a 200 where the role expected a
refusal, or another person's address in a page, is a leak. Then the lockout behaviour: failed
logins from one client address behind the trusted proxy, and whether another person, and the
account's owner, can still sign in. Figures in bench/results/probe.json."""

import json
import os
import re
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("PROBE_DATABASE", "maillage_probe")
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.probe",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": f"{PG}/{DATABASE}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "http://127.0.0.1",
    # The proxy in front of gunicorn is this machine: its X-Forwarded-For is believed.
    "TRUSTED_PROXIES": "127.0.0.1/32",
    "STAFF_MFA_REQUIRED": "true",
    "PAGE_CACHE_SECONDS": "60",
    "LOG_LEVEL": "ERROR",
    "MAILLAGE_VAR_DIR": str(ROOT / "var" / "probe"),
    "STATIC_ROOT": str(ROOT / "var" / "probe-static"),
    "MEDIA_ROOT": str(ROOT / "var" / "probe-media"),
}
OTHER_PERSON = "quelquun-dautre@exemple.fr"  # whose data no role but Hub staff may see
# The setup of two-factor authentication (staff without it are sent there from everywhere).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (the probe's own staff)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def seed():
    """The permission matrix's world, committed; staff get an authenticator app."""
    from allauth.mfa.totp.internal.auth import TOTP

    from events.public_feed import public_feed_build
    from tests.hardening import test_permission_matrix as matrix

    world = matrix.build_world()
    world.objects["open_date"] = world.open_proposal.dates.first()
    world.objects["closed_date"] = world.closed_proposal.dates.first()
    for role in ("hub_staff", "numeritheque_manager"):
        TOTP.activate(world.users[role], TOTP_SECRET)
    public_feed_build()
    return world, matrix


def log_in(session, base: str, email: str, password: str, *, client_ip: str, totp: bool):
    """allauth's form as a browser fills it; the TOTP step for staff. Returns the last answer."""
    from tests.accounts.test_two_factor import totp_code

    headers = {"X-Forwarded-For": client_ip}
    session.get(f"{base}/comptes/login/", headers=headers)
    token = session.cookies.get("csrftoken", "")
    response = session.post(
        f"{base}/comptes/login/",
        {"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers=headers,
        allow_redirects=False,
    )
    if totp and response.headers.get("Location") == "/comptes/2fa/authenticate/":
        import datetime

        code = totp_code(TOTP_SECRET, datetime.datetime.now(datetime.UTC))
        response = session.post(
            f"{base}/comptes/2fa/authenticate/",
            {"code": code, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
            headers=headers,
            allow_redirects=False,
        )
    return response


class Answer:
    """What the matrix's status_matches reads of a test client's response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content

    def __getitem__(self, name):
        return self.headers[name]


def probe_roles(base: str, world, matrix) -> dict:
    import requests

    from tests.factories.accounts import DEFAULT_PASSWORD

    figures = {"attempts": 0, "posts": 0, "cross_owner": 0, "mismatches": [], "leaks": []}
    for number, role in enumerate(matrix.ROLES):
        session = requests.Session()
        user = world.users[role]
        if user is not None:
            answer = log_in(
                session,
                base,
                user.email,
                DEFAULT_PASSWORD,
                client_ip=f"198.51.100.{number + 10}",
                totp=role in ("hub_staff", "numeritheque_manager"),
            )
            if answer.status_code != 302:
                raise RuntimeError(f"{role} : connexion refusée ({answer.status_code})")
        for _key, cases in [*matrix.EXPECTATIONS.items(), *matrix.ADMIN_EXPECTATIONS.items()]:
            for case in cases:
                url = case.path(world)
                data = {
                    **(case.data or {}),
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                }
                if case.method == "post":
                    response = session.post(base + url, data, allow_redirects=False)
                    figures["posts"] += 1
                else:
                    response = session.get(base + url, allow_redirects=False)
                figures["attempts"] += 1
                figures["cross_owner"] += bool(case.label)
                expected = case.expect[role]
                answer = Answer(response)
                where = f"{role} {case.method.upper()} {url}"
                if not matrix.status_matches(answer, expected):
                    figures["mismatches"].append(
                        f"{where} → {response.status_code}, attendu {expected}"
                    )
                    if response.status_code == 200 and expected != 200:
                        figures["leaks"].append(f"{where} → 200 (attendu {expected})")
                if (
                    role != "hub_staff"
                    and response.status_code == 200
                    and OTHER_PERSON.encode() in response.content
                ):
                    figures["leaks"].append(f"{where}: l'adresse d'une autre personne")
    return figures


def probe_lockout(base: str, world) -> dict:
    """Failed logins from one address (behind the trusted proxy), then a legitimate person
    from another address, then the account's owner with the right password."""
    import requests

    from tests.factories.accounts import DEFAULT_PASSWORD

    target = world.users["mediator"]
    bystander = world.objects["other"]
    attacker_ip = "203.0.113.66"
    statuses = []
    for _attempt in range(25):
        response = log_in(
            requests.Session(), base, target.email, "pas-le-bon", client_ip=attacker_ip, totp=False
        )
        statuses.append(response.status_code)
    first_refusal = next((i + 1 for i, s in enumerate(statuses) if s == 429), None)
    bystander_answer = log_in(
        requests.Session(),
        base,
        bystander.email,
        DEFAULT_PASSWORD,
        client_ip="198.51.100.77",
        totp=False,
    )
    owner_session = requests.Session()
    owner_answer = log_in(
        owner_session, base, target.email, DEFAULT_PASSWORD, client_ip="198.51.100.78", totp=False
    )
    delay = re.search(r"réessayez dans (\d+) seconde", owner_answer.text or "")
    code_page = owner_session.get(
        f"{base}/comptes/login/code/", headers={"X-Forwarded-For": "198.51.100.78"}
    )
    return {
        "failed_logins_from_one_address": len(statuses),
        "refused_by_the_address_limit_from_attempt": first_refusal,
        "another_person_from_another_address_signs_in": bystander_answer.status_code == 302,
        "owner_with_the_right_password": owner_answer.status_code,
        "owner_told_to_wait_seconds": int(delay[1]) if delay else None,
        "owner_offered_a_code_by_email": code_page.status_code == 200,
    }


def main() -> None:
    os.environ.update(ENV)
    recreate_database()

    import django

    django.setup()
    from django.core.management import call_command

    import redis

    from bench.server import gunicorn

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    world, matrix = seed()
    with gunicorn(ENV, workers=2) as base:
        roles = probe_roles(base, world, matrix)
        lockout = probe_lockout(base, world)
    results = {
        "settings": ENV["DJANGO_SETTINGS_MODULE"],
        "date": django.utils.timezone.now().isoformat(timespec="seconds"),
        "roles_x_urls": {
            "attempts": roles["attempts"],
            "posts": roles["posts"],
            "cross_owner_cases": roles["cross_owner"],
            "leaks": len(roles["leaks"]),
            "mismatches": len(roles["mismatches"]),
        },
        "leak_details": roles["leaks"],
        "mismatch_details": roles["mismatches"],
        "lockout": lockout,
        "seconds": round(time.monotonic() - began),
    }
    out = ROOT / "bench" / "results" / "probe.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(
        json.dumps(
            {k: v for k, v in results.items() if not k.endswith("details")},
            ensure_ascii=False,
            indent=2,
        )
    )
    for line in roles["leaks"] + roles["mismatches"]:
        print("  ", line)


if __name__ == "__main__":
    main()
