"""Each measure on a small territory whose values are computed by hand in the comments."""

import json

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.models import Place
from territory import diagnosis
from territory.models import IndicatorValue

from .conftest import DEMARCHES

pytestmark = pytest.mark.django_db


def run(indicator, **kwargs):
    options = {"service": DEMARCHES, "departement": "99", "radius_km": 10, "indicator": indicator}
    return diagnosis.diagnosis_get(**(options | kwargs))


def test_distance_to_the_nearest_place_per_commune(small_territory):
    result = run(small_territory)
    distances = {row["name"]: row["distance_km"] for row in result["communes"]}
    # The only place offering the service is at Alpha; Delta's place offers something else.
    assert distances == {"Alpha": 0, "Bravo": 5, "Charlie": 20, "Delta": 40, "Echo": 44}
    assert {row["nearest"] for row in result["communes"]} == {"Médiathèque d'Alpha"}


def test_people_beyond_the_radius_places_per_10000_and_need_weighted_coverage(small_territory):
    total = run(small_territory)["total"]
    # Beyond 10 km: Charlie 500 + Delta 3,000 + Echo 100 = 3,600 of 6,600 (54.5 %).
    assert (total["population"], total["population_beyond"]) == (6600, 3600)
    assert total["share_beyond"] == 54.5
    # One place for 6,600 inhabitants.
    assert total["per_10000"] == 1.52
    # Weights = population × need / median need (100): 1,200 + 1,600 + 750 + 3,000 + 60 = 6,610;
    # within 10 km Alpha and Bravo: 2,800 → 42.4 %.
    assert total["coverage_score"] == 42.4
    # Fragile (need ≥ 100): Alpha, Charlie, Delta = 4,500 people, 3,500 of them beyond.
    assert (total["fragile_population"], total["fragile_beyond"]) == (4500, 3500)
    # (5 × 2,000 + 20 × 500 + 40 × 3,000 + 44 × 100) / 6,600 = 21.88 km.
    assert total["mean_distance"] == 21.9


def test_measures_per_epci(small_territory):
    epcis = {row["siren"]: row for row in run(small_territory)["epcis"]}
    first, second = epcis["200000001"], epcis["200000002"]
    # Alpha, Bravo, Charlie: 3,500 people, one place, 500 beyond.
    assert (first["population"], first["places"], first["per_10000"]) == (3500, 1, 2.86)
    assert first["population_beyond"] == 500
    # Delta and Echo: 3,100 people, no place offering the service, all beyond.
    assert (second["places"], second["per_10000"], second["share_beyond"]) == (0, 0.0, 100.0)
    assert second["coverage_score"] == 0.0


def test_without_indicator_every_inhabitant_weighs_the_same(small_territory):
    total = run(None)["total"]
    # 3,000 of 6,600 within 10 km.
    assert total["coverage_score"] == 45.5
    assert total["fragile_population"] == 0


def test_greedy_opening_takes_the_best_then_what_remains(small_territory):
    openings = run(small_territory)["openings"]
    # Delta or Echo each bring Delta + Echo (3,100 people, weight 3,060) within 10 km, Charlie
    # only itself (750): Delta first (earlier in the list at equal gain). Echo then brings
    # nobody new, so the second choice is Charlie, then no opening brings anyone more.
    assert [(o["code_insee"], o["population_gagnee"]) for o in openings] == [
        ("99004", 3100),
        ("99003", 500),
    ]
    assert [o["population_fragile_gagnee"] for o in openings] == [3000, 500]
    assert openings[0]["phrase"] == (
        "Ouvrir à Delta rapprocherait 3\u202f100 habitants à moins de 10 km, "
        "dont 3\u202f000 dans des communes fragiles."
    )


def test_greedy_prefers_fragile_people_to_more_people(small_territory):
    # Make Echo very fragile and Delta not: a place at Echo still reaches both, but with the
    # radius at 3 km each only reaches itself, and Echo's 100 people at need 6,000 outweigh
    # Delta's 3,000 at need 1.
    IndicatorValue.objects.filter(code="99004").update(value=1)
    IndicatorValue.objects.filter(code="99005").update(value=6000)
    small_territory.save()
    openings = run(small_territory, radius_km=3)["openings"]
    assert openings[0]["code_insee"] == "99005"


def test_what_if_moves_the_measures_and_writes_nothing(small_territory):
    places_before = list(Place.objects.values_list("pk", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        result = run(
            small_territory,
            hypotheticals=(diagnosis.Hypothetical(insee_code="99003", weekday=1),),
        )
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert list(Place.objects.values_list("pk", "updated_at")) == places_before
    # A bus stop at Charlie on Tuesdays brings Charlie's 500 within 10 km.
    assert result["whatif"]["before"]["population_beyond"] == 3600
    assert result["total"]["population_beyond"] == 3100
    assert result["whatif"]["added"] == ["Arrêt d'un service itinérant à Charlie le mardi"]
    # A hypothetical place is not counted among the places per 10,000.
    assert result["total"]["places"] == 1


def test_measures_are_cached_per_data_version(small_territory, django_assert_max_num_queries):
    run(small_territory)
    with django_assert_max_num_queries(2):
        run(small_territory)
    Place.objects.filter(insee_code="99004").update(services=f"|{DEMARCHES}|")
    Place.objects.filter(insee_code="99004").first().save()
    assert run(small_territory)["total"]["population_beyond"] == 500


def test_ou_ouvrir_prints_json(small_territory, capsys):
    call_command(
        "ou_ouvrir",
        "--service",
        "aide aux demarches administratives",
        "--departement",
        "99",
        "--rayon",
        "10",
        "--format",
        "json",
    )
    picks = json.loads(capsys.readouterr().out)
    assert picks[0]["code_insee"] == "99004"
    assert {"code_insee", "nom", "population_gagnee", "population_fragile_gagnee"} <= set(picks[0])


def test_ou_ouvrir_refuses_an_unknown_service_in_french(small_territory):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Service inconnu"):
        call_command("ou_ouvrir", "--service", "Cuisine", "--departement", "99")
