import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo

# Each app may have a `demo.py` with `load(context)`; they run in the import graph's order,
# bottom first, so that places exist before sessions and sessions before newsletters. The
# context carries what the shell offers them (the home page, the accounts, `add_menu_link`),
# so that no app imports `portal`, the top of the graph.
APP_DEMOS = [
    "directory",
    "events",
    "trainings",
    "peer_exchange",
    "numeritheque",
    "territory",
    "newsletter",
]


class Command(BaseCommand):
    help = "Charge le contenu de démonstration d'un Hub (idempotent : une seconde exécution ne change rien)."

    @transaction.atomic
    def handle(self, *args, **options):
        context = {
            "home": demo.load_site(),
            **demo.load_accounts(),
            "add_menu_link": demo.add_menu_link,
        }
        for app in APP_DEMOS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.load(context)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
