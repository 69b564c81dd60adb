"""A registry through which each app contributes a person's data to the export and erases it on
account deletion, so that the portal can cover every app without importing their internals."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataSection:
    """One app's share of a person's data: a key in the export, a function that returns it as
    JSON-ready data, and one that erases or anonymises it when the account is deleted."""

    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]


_sections: dict[str, PersonalDataSection] = {}


def register(section: PersonalDataSection) -> None:
    """Register (or replace, for idempotent app loading) an app's section."""
    _sections[section.key] = section


def sections() -> list[PersonalDataSection]:
    return [_sections[key] for key in sorted(_sections)]
