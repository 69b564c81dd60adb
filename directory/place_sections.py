"""Sections that higher apps add to a place's page (upcoming sessions from events, equipment
from the numérithèque) without the directory importing them: they register here from their
AppConfig.ready, like the sections of "Mon espace"."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlaceSection:
    key: str
    template: str
    context: Callable[[Any], dict]
    order: int = 100


_sections: dict[str, PlaceSection] = {}


def register(section: PlaceSection) -> None:
    _sections[section.key] = section


def sections() -> list[PlaceSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
