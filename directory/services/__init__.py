"""State changes of the directory, one module a concern; the public services are named here
so that callers write `services.place_merge(...)`."""

from .imports import (
    ImportReport,
    duplicate_rows,
    duplicates_find,
    place_import_preview,
    place_import_queue,
    place_import_run,
    places_import,
)
from .memberships import membership_join, membership_manager_approve, membership_manager_refuse
from .merges import place_merge
from .places import (
    EDITABLE_FIELDS,
    membership_add,
    orientation_fiche_queue,
    orientation_fiche_send,
    place_update,
)
from .proposals import (
    place_create,
    place_proposal_approve,
    place_proposal_notify,
    place_proposal_refuse,
    place_propose,
)
from .territories import communes_load

__all__ = [
    "EDITABLE_FIELDS",
    "ImportReport",
    "communes_load",
    "duplicate_rows",
    "duplicates_find",
    "membership_add",
    "membership_join",
    "membership_manager_approve",
    "membership_manager_refuse",
    "orientation_fiche_queue",
    "orientation_fiche_send",
    "place_import_preview",
    "place_import_queue",
    "place_import_run",
    "place_create",
    "place_merge",
    "place_propose",
    "place_proposal_approve",
    "place_proposal_notify",
    "place_proposal_refuse",
    "place_update",
    "places_import",
]
