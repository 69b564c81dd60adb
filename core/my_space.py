"""A registry of the sections of "Mon espace": each app adds its own (registrations, bookings,
proposals, subscriptions) from its AppConfig.ready, and the portal shows them in order."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MySpaceSection:
    key: str
    template: str
    context: Callable[[Any], dict]
    order: int = 100


_sections: dict[str, MySpaceSection] = {}


def register(section: MySpaceSection) -> None:
    _sections[section.key] = section


def sections() -> list[MySpaceSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
