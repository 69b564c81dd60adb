"""Registries through which each app declares the personal data it holds, so that the portal
covers every app without importing their internals:

- a section contributes a person's data to the export and erases it on account deletion, and
  names the models it covers (a test fails on any model that names a person and is neither
  covered nor listed in `EXEMPT` with its reason);
- a retention step anonymises what is older than `MAILLAGE_RETENTION_DAYS`;
- an access-logged view is a Wagtail-provided admin view showing other people's data, which
  the access-log middleware records (the apps' own views call the service directly)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataSection:
    """One app's share of a person's data: a key in the export, a function that returns it as
    JSON-ready data, one that erases or anonymises it when the account is deleted, and the
    labels ("app.Model") of the models it covers."""

    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    models: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionStep:
    """Anonymise one kind of data older than `days`; with `dry_run`, only count it. Returns
    the number of rows concerned."""

    key: str
    label: str
    run: Callable[..., int]


# Models that point at a person (or store an address) without being part of the export, and why.
EXEMPT: dict[str, str] = {
    "accounts.User": "le compte lui-même : exporté sous « compte » et supprimé",
    "account.EmailAddress": "exportées sous « adresses » ; supprimées avec le compte (CASCADE)",
    "socialaccount.SocialAccount": "lien technique vers ProConnect ; supprimé avec le compte",
    "admin.LogEntry": "journal de l'admin Django (non utilisé) ; supprimé avec le compte",
    "wagtailusers.UserProfile": "préférences de l'interface d'administration ; supprimé avec le compte",
    "mfa.Authenticator": "secret de la double authentification : jamais exporté (il ouvrirait le "
    "compte) ; supprimé avec le compte (CASCADE)",
    "wagtailadmin.EditingSession": "session d'édition de l'équipe ; supprimée avec le compte",
    "wagtailadmin.FormState": "état de formulaire de l'admin ; supprimé avec le compte",
    "wagtailcore.APIToken": "jeton de l'admin ; supprimé avec le compte",
    "wagtailcore.Comment": "commentaire éditorial de l'équipe ; supprimé avec le compte",
    "wagtailcore.CommentReply": "réponse éditoriale de l'équipe ; supprimée avec le compte",
    "wagtailcore.PageSubscription": "abonnement aux commentaires ; supprimé avec le compte",
    "wagtailcore.Page": "auteur·e d'une page publiée : le lien est vidé (SET_NULL), la page reste",
    "wagtailcore.Revision": "auteur·e d'une révision : le lien est vidé (SET_NULL)",
    "wagtailcore.WorkflowState": "demande de modération : le lien est vidé (SET_NULL)",
    "wagtailcore.TaskState": "décision de modération : le lien est vidé (SET_NULL)",
    "wagtailcore.UploadedFile": "fichier téléversé : le lien est vidé (SET_NULL)",
    "wagtailcore.ModelLogEntry": "journal éditorial ; n'identifie plus personne une fois le compte supprimé",
    "wagtailcore.PageLogEntry": "journal éditorial ; n'identifie plus personne une fois le compte supprimé",
    "wagtaildocs.Document": "document publié : le lien vers qui l'a déposé est vidé (SET_NULL)",
    "wagtailimages.Image": "image publiée : le lien vers qui l'a déposée est vidé (SET_NULL)",
    "portal.SiteSettings": "adresse de contact de la structure, pas d'une personne",
    "directory.PlaceErrorReport": "signalement d'erreur sur une fiche : l'adresse facultative est "
    "effacée à la clôture ; qui l'a clos : lien vidé (SET_NULL)",
    "directory.PlaceImport": "import fait par l'équipe : le lien est vidé (SET_NULL)",
    "numeritheque.Inspection": "état des lieux fait par l'équipe : le lien est vidé (SET_NULL)",
    "core.PersonalDataAccess": (
        "journal des consultations par l'équipe : le lien est vidé (SET_NULL) ; "
        "effacé après la durée de conservation"
    ),
}

_sections: dict[str, PersonalDataSection] = {}
_retention_steps: dict[str, RetentionStep] = {}
_access_logged_views: dict[str, str] = {}


def register(section: PersonalDataSection) -> None:
    """Register (or replace, for idempotent app loading) an app's section."""
    _sections[section.key] = section


def sections() -> list[PersonalDataSection]:
    return [_sections[key] for key in sorted(_sections)]


def covered_models() -> set[str]:
    return {label for section in _sections.values() for label in section.models}


def retention_register(step: RetentionStep) -> None:
    _retention_steps[step.key] = step


def retention_steps() -> list[RetentionStep]:
    return [_retention_steps[key] for key in sorted(_retention_steps)]


def access_logged_view_register(view_name: str, what: str) -> None:
    """Have the middleware record each successful GET of the admin view named `view_name`."""
    _access_logged_views[view_name] = what


def access_logged_view(view_name: str) -> str | None:
    """What the view named `view_name` shows, if its visits are to be logged (per request:
    a lookup, no copy)."""
    return _access_logged_views.get(view_name)
