import json

from django.core.management.base import BaseCommand, CommandError

from directory import selectors as directory
from territory import selectors
from territory.diagnosis import diagnosis_get, radius_default


class Command(BaseCommand):
    help = (
        "Classe les communes où un nouveau lieu offrant un service rapprocherait le plus "
        "d'habitants (pondérés par la fragilité) à moins de --rayon km."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="Un service du standard national.")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--departement")
        scope.add_argument("--epci", help="SIREN de l'EPCI.")
        parser.add_argument("--rayon", type=float, default=None, help="En km (ligne droite).")
        parser.add_argument("--nombre", type=int, default=5)
        parser.add_argument("--format", choices=["texte", "json"], default="texte")

    def handle(self, *args, **options):
        service = directory.place_service_canonical(value=options["service"])
        if service is None:
            raise CommandError(
                f"Service inconnu : « {options['service']} ». Services du standard : "
                + ", ".join(directory.place_service_values())
                + "."
            )
        if options["epci"] and directory.epci_get(siren=options["epci"]) is None:
            raise CommandError(f"EPCI inconnu : {options['epci']}.")
        if (
            options["departement"]
            and directory.departement_get(code=options["departement"]) is None
        ):
            raise CommandError(f"Département inconnu : {options['departement']}.")
        if options["rayon"] is not None and not 0 < options["rayon"] <= 200:
            raise CommandError("Le rayon doit être compris entre 0 et 200 km.")
        result = diagnosis_get(
            service=service,
            departement=options["departement"],
            epci=options["epci"],
            radius_km=options["rayon"] or radius_default(),
            indicator=selectors.indicator_default(),
            openings=options["nombre"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(result["openings"], ensure_ascii=False, indent=2))
            return
        total = result["total"]
        self.stdout.write(
            f"{result['scope']['name']} — {service} : {total['population_beyond']} habitants "
            f"à plus de {result['radius_km']:g} km (ligne droite), couverture pondérée par le "
            f"besoin {total['coverage_score']} %."
        )
        for rank, pick in enumerate(result["openings"], start=1):
            self.stdout.write(f"{rank}. {pick['phrase']}")
        if not result["openings"]:
            self.stdout.write("Aucune ouverture ne rapprocherait davantage d'habitants.")
