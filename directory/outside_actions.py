"""Actions "hors les murs" (sessions held in a commune but outside any place) that higher apps
provide to the coverage view without the directory importing them: events registers a
provider from its AppConfig.ready, like the sections of a place's page."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutsideAction:
    start: datetime.datetime
    title: str
    url: str
    insee_code: str
    location: str = ""


Provider = Callable[[list[str]], list[OutsideAction]]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _providers[key] = provider


def actions_in(*, insee_codes: list[str]) -> list[OutsideAction]:
    """Every provider's actions in these communes, by date (one query per provider)."""
    actions = [action for provider in _providers.values() for action in provider(insee_codes)]
    return sorted(actions, key=lambda action: (action.start, action.title))
