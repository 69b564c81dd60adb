import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Maillage — API ouverte"
    for path in ("/api/v1/sessions", "/api/v1/lieux", "/api/v1/structures", "/api/v1/rencontres"):
        assert "422" in spec["paths"][path]["get"]["responses"]


def test_docs_work_offline_with_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # CSP: no inline script
