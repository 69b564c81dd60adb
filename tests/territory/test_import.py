"""Indicator import: good rows, bad rows with their line and reason, legacy commune codes."""

import pytest

from core.errors import DomainError
from territory.models import Indicator, IndicatorValue
from territory.services import fragility_import, indicator_import
from tests.factories.territory import make_communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    # 01015 is the commune nouvelle Arboys en Bugey, which absorbed 01340 (Saint-Bois).
    return make_communes(
        [
            ("01015", "Arboys en Bugey", 0, 710),
            ("01001", "L'Abergement-Clémenciat", 5, 860),
            ("01002", "L'Abergement-de-Varey", 10, 270),
        ],
        departement="01",
    )


def run(data: str, **kwargs):
    options = {"code_column": "code", "value_column": "score", "name": "Fragilité", "year": 2020}
    return indicator_import(data=data.encode("utf-8"), **(options | kwargs))


def test_good_rows_are_stored_with_their_attribution(communes):
    report = run(
        "code;score\n01001;91,5\n01002;120\n",
        source="La MedNum",
        licence="Licence Ouverte",
    )
    assert report.rejected == []
    indicator = Indicator.objects.get()
    assert (indicator.name, indicator.year, indicator.source) == ("Fragilité", 2020, "La MedNum")
    assert dict(indicator.values.values_list("code", "value")) == {"01001": 91.5, "01002": 120.0}
    assert report.missing == 1  # 01015 has no value
    assert "2 valeurs enregistrées" in report.summary()


def test_bad_rows_are_reported_by_line_and_the_good_ones_kept(communes):
    report = run("code,score\n01001,abc\n99999,10\n01002,\nxyz,4\n01002,7\n01002,8\n")
    reasons = {item["line"]: item["reason"] for item in report.rejected}
    assert set(reasons) == {2, 3, 4, 5, 7}
    assert "non numérique" in reasons[2]
    assert "code inconnu" in reasons[3]
    assert "code INSEE invalide" in reasons[5]
    assert "double (déjà ligne 6)" in reasons[7]
    assert dict(IndicatorValue.objects.values_list("code", "value")) == {"01002": 7.0}
    assert any(line.startswith("Ligne 3 rejetée (99999)") for line in report.lines())


def test_legacy_codes_are_mapped_and_merged_weighted_by_population(communes):
    report = run(
        "code,score,pop\n01015,10,100\n01340,20,300\n",
        population_column="pop",
    )
    assert report.mapped == [{"line": 3, "former": "01340", "current": "01015"}]
    # (10 × 100 + 20 × 300) / 400
    assert IndicatorValue.objects.get(code="01015").value == pytest.approx(17.5)
    assert "pondérée par la population" in report.merged[0]["weighting"]


def test_legacy_codes_without_population_are_averaged_plainly_and_said_so(communes):
    report = run("code,score\n01015,10\n01340,20\n")
    assert IndicatorValue.objects.get(code="01015").value == pytest.approx(15)
    assert "moyenne simple" in report.lines()[-1]


def test_reimport_replaces_values_and_a_dry_run_writes_nothing(communes):
    run("code,score\n01001,1\n01002,2\n")
    run("code,score\n01001,5\n", dry_run=True)
    assert IndicatorValue.objects.count() == 2
    run("code,score\n01001,5\n")
    assert dict(IndicatorValue.objects.values_list("code", "value")) == {"01001": 5.0}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "vide"),
        ("insee,valeur\n01001,3\n", "Colonne absente"),
    ],
)
def test_an_unusable_file_changes_nothing(communes, data, message):
    run("code,score\n01001,1\n")
    with pytest.raises(DomainError, match=message):
        run(data)
    assert IndicatorValue.objects.count() == 1


def test_an_import_needs_the_communes_loaded():
    with pytest.raises(DomainError, match="load_communes"):
        run("code,score\n01001,1\n")


def test_the_shipped_fragility_index_maps_its_2018_codes():
    # Culoz (01138) absorbed Béon (01039) in 2019: the index of 2020 has both, with their
    # populations (3,053 and 464) and scores (105 and 82).
    make_communes([("01138", "Culoz-Béon", 0, 3517)], departement="01")
    report = fragility_import()
    assert report.rows == 35286
    assert [item["former"] for item in report.mapped if item["current"] == "01138"] == ["01039"]
    value = IndicatorValue.objects.get(code="01138").value
    assert value == pytest.approx((105 * 3053 + 82 * 464) / 3517)
    assert Indicator.objects.get().fragile_threshold == 100


def test_the_command_prints_a_french_report(communes, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "indicateur.csv"
    path.write_text("code_insee,score\n01001,3\n01340,4\n0,5\n", encoding="utf-8")
    call_command(
        "import_indicateur", str(path), "--valeur", "score", "--nom", "Test", "--annee", "2024"
    )
    out = capsys.readouterr().out
    assert "Ligne 4 rejetée" in out
    assert "code 01340 d'une ancienne commune, compté pour 01015" in out
    assert "3 lignes lues, 2 valeurs enregistrées" in out
