"""No odd byte in any query parameter of any GET view answers 500: control characters are
refused with a French 400 before a view reads them (a NUL in the search reached PostgreSQL),
and every other value is the view's to refuse or ignore."""

from urllib.parse import quote_from_bytes

from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.test_permission_matrix import (  # noqa: F401
    EXPECTATIONS,
    request,
    world,
)

pytestmark = pytest.mark.django_db

# Every name a GET view reads (grep request.GET, the filter forms), and one nobody reads.
PARAMETERS = [
    *[
        "q",
        "page",
        "theme",
        "kind",
        "departement",
        "month",
        "mode",
        "with_seats",
        "impression",
        "archives",
        "competence",
    ],
    *[
        "level",
        "format",
        "service",
        "public",
        "scheme",
        "free",
        "when",
        "location",
        "radius",
        "category",
        "place",
        "start",
    ],
    *[
        "end",
        "mois",
        "materiel",
        "annee",
        "campagne",
        "apercu",
        "epci",
        "imprimer",
        "status",
        "next",
        "personne",
    ],
    *["carte", "papier", "imprimer"],
    "utm_source",
]


def anonymous_get_urls(world) -> list[str]:  # noqa: F811
    return sorted(
        {
            case.path(world)
            for cases in EXPECTATIONS.values()
            for case in cases
            if case.method == "get" and case.expect["anonymous"] == 200
        }
    )


@pytest.mark.parametrize(
    ("query", "status"),
    [("q=%00", 400), ("q=caf%C3%A9%E2%80%AE", 400), ("q=%E2%80%8Bx", 400), ("q=%FF%FE", 200)],
)
def test_control_characters_in_the_search_are_refused_in_french(client, query, status):
    response = client.get(f"/recherche/?{query}")
    assert response.status_code == status
    if status == 400:
        assert "caractère de contrôle" in response.content.decode()


odd_values = st.one_of(
    st.binary(max_size=40).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(max_size=40).map(lambda text: quote_from_bytes(text.encode(), safe="")),
    st.sampled_from(["%00", "-1", "0", "99999999999999999999", "2026-13-45", "%25", "[]"]),
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_query_parameter_of_any_get_view_answers_500(world, data):  # noqa: F811
    urls = anonymous_get_urls(world)
    url = data.draw(st.sampled_from(urls))
    pairs = data.draw(
        st.lists(st.tuples(st.sampled_from(PARAMETERS), odd_values), min_size=1, max_size=3)
    )
    query = "&".join(f"{name}={value}" for name, value in pairs)
    separator = "&" if "?" in url else "?"
    response = request(Client(raise_request_exception=False), "get", f"{url}{separator}{query}")
    # 503 is the feed's documented "being built, come back" (feeds are built off-request).
    assert response.status_code < 500 or response.status_code == 503, (
        f"{url}{separator}{query} → {response.status_code}"
    )
