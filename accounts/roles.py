"""The portal's roles, as Django groups. Permissions are listed as strings so that this bottom
app names the models of higher apps without importing them; `roles_sync` grants those that
exist, and runs after every migration."""

from django.utils.translation import gettext_lazy as _

HUB_STAFF = "Équipe du Hub"
STRUCTURE_MANAGER = "Gestionnaire de structure"
NUMERITHEQUE_MANAGER = "Gestionnaire de la numérithèque"
# Département, Préfecture, a funder: reads the territorial diagnosis, nothing personal.
INSTITUTIONAL_PARTNER = "Partenaire institutionnel"

ROLE_LABELS = {
    HUB_STAFF: _("Équipe du Hub"),
    STRUCTURE_MANAGER: _("Gestionnaire de structure"),
    NUMERITHEQUE_MANAGER: _("Gestionnaire de la numérithèque"),
    INSTITUTIONAL_PARTNER: _("Partenaire institutionnel"),
}

# app_label: every model permission of these apps.
_HUB_STAFF_APPS = [
    "taxonomy",
    "directory",
    "territory",
    "events",
    "trainings",
    "peer_exchange",
    "numeritheque",
    "newsletter",
    "relay",
    "portal",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "wagtailsearchpromotions",
]

ROLE_PERMISSIONS: dict[str, dict] = {
    HUB_STAFF: {
        "apps": _HUB_STAFF_APPS,
        "codenames": [
            "wagtailadmin.access_admin",
            "wagtailcore.view_page",
            "wagtailcore.add_collection",
            "wagtailcore.change_collection",
            "accounts.view_user",
            "core.view_personaldataaccess",
        ],
        "wagtail_pages": ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
        "wagtail_collections": [
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
    },
    STRUCTURE_MANAGER: {
        "apps": [],
        "codenames": ["numeritheque.add_booking"],
        "wagtail_pages": [],
        "wagtail_collections": [],
    },
    NUMERITHEQUE_MANAGER: {
        "apps": ["numeritheque"],
        "codenames": ["wagtailadmin.access_admin"],
        "wagtail_pages": [],
        "wagtail_collections": ["add_image", "change_image", "choose_image"],
    },
    INSTITUTIONAL_PARTNER: {
        "apps": [],
        "codenames": ["territory.view_diagnosis"],
        "wagtail_pages": [],
        "wagtail_collections": [],
    },
}
