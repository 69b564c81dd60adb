"""Places of digital mediation and the organisations that run them, in the national data
standard of lieux de médiation numérique (schema.data.gouv.fr, LaMednum/standard-mediation-num).

This is the base layer: sessions happen at a Place, equipment lives at a Place, bookings are
made for an Organisation, people belong to Organisations through StructureMembership."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import display, geo, standard
from .fields import MultiValueField


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An établissement public de coopération intercommunale à fiscalité propre."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A current commune of the COG, with its postcodes and the position of its town hall."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=255, db_index=True)
    # `geo.commune_key(name)`, so that SQL finds a name typed without accents or hyphens.
    search_name = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Space-separated: a 5-digit code cannot straddle a space, so `contains` is exact.
    postcodes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Population légale (INSEE).")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.search_name = geo.commune_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()


class Organisation(models.Model):
    """A structure (association, commune, CCAS, library, France Services…), identified by SIRET."""

    name = models.CharField(_("nom"), max_length=255)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, db_index=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A lieu de médiation numérique (one row of the national standard)."""

    identifier = models.CharField(_("identifiant"), max_length=255, unique=True)
    name = models.CharField(_("nom"), max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
    )
    address = models.CharField(_("adresse"), max_length=255)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte 5 chiffres."))],
    )
    commune = models.CharField(_("commune"), max_length=255)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, db_index=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    # The other columns of the national standard (v1.0.2).
    pivot = models.CharField(
        _("SIRET (pivot)"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("SIRET de la structure, ou SIREN (9 à 14 caractères)."),
    )
    typologies = MultiValueField(_("typologie"))
    phone = models.CharField(
        _("téléphone"),
        max_length=20,
        blank=True,
        help_text=_("Au format international, sans espace : +33299000000."),
        validators=[
            RegexValidator(
                r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$",
                _("Numéro attendu au format +33299000000 (standard national)."),
            )
        ],
    )
    emails = MultiValueField(_("courriels"), help_text=_("Une adresse par ligne."))
    websites = MultiValueField(_("sites web"), help_text=_("Une adresse par ligne."))
    opening_hours = models.TextField(
        _("horaires"),
        blank=True,
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:00 »."),
    )
    opening_hours_valid = models.BooleanField(_("horaires lisibles"), default=True)
    summary = models.CharField(_("présentation (résumé)"), max_length=280, blank=True)
    description = models.TextField(_("présentation (détail)"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True, db_index=True)
    itinerance = MultiValueField(_("itinérance"), vocabulary=standard.ITINERANCE)
    parent_structure = models.CharField(_("structure parente"), max_length=255, blank=True)
    source_updated_on = models.DateField(_("date de mise à jour"), null=True, blank=True)
    services = MultiValueField(_("services"), vocabulary=standard.SERVICES)
    publics = MultiValueField(_("publics spécifiquement adressés"), vocabulary=standard.PUBLICS)
    specific_support = MultiValueField(
        _("prise en charge spécifique"), vocabulary=standard.PRISE_EN_CHARGE
    )
    fees = MultiValueField(_("frais à charge"), vocabulary=standard.FRAIS)
    national_schemes = MultiValueField(
        _("dispositifs et programmes nationaux"), vocabulary=standard.DISPOSITIFS
    )
    labels = MultiValueField(_("formations et labels"), vocabulary=standard.FORMATIONS_LABELS)
    other_labels = MultiValueField(_("autres formations et labels"))
    access_modes = MultiValueField(_("modalités d'accès"), vocabulary=standard.MODALITES_ACCES)
    support_modes = MultiValueField(
        _("modalités d'accompagnement"), vocabulary=standard.MODALITES_ACCOMPAGNEMENT
    )
    accessibility_url = models.URLField(_("fiche Accès libre"), max_length=500, blank=True)
    appointment_url = models.URLField(_("prise de rendez-vous"), max_length=500, blank=True)

    # Review and hand-edit tracking.
    review_flags = MultiValueField(_("à vérifier"))
    hub_edited_fields = MultiValueField(_("champs modifiés à la main"))
    hub_edited_at = models.DateTimeField(_("modifié à la main le"), null=True, blank=True)

    class ReviewFlag(models.TextChoices):
        OPENING_HOURS = "horaires_illisibles", _("Horaires illisibles")
        POSTCODE_OTHER_COMMUNE = "cp_autre_commune", _("Code postal d'une autre commune")
        INSEE_OTHER_COMMUNE = "insee_autre_commune", _("Code INSEE d'une autre commune")
        FAR_COORDINATES = "coordonnees_eloignees", _("Coordonnées loin de la commune")

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_place_coords")]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"

    @property
    def review_flag_labels(self) -> list[str]:
        labels = dict(self.ReviewFlag.choices)
        return [labels.get(flag, flag) for flag in self.review_flags]

    @property
    def commune_display(self) -> str:
        return display.commune(self.commune)

    @property
    def phone_display(self) -> str:
        return display.phone(self.phone)

    @property
    def holidays_display(self) -> str:
        return display.holidays(self.opening_hours) if self.opening_hours_valid else ""

    @property
    def has_reliable_position(self) -> bool:
        """Coordinates worth a route link: present and not far from the place's commune."""
        return self.latitude is not None and (
            self.ReviewFlag.FAR_COORDINATES not in self.review_flags
        )

    @property
    def is_free(self) -> bool:
        return standard.FREE_OF_CHARGE in self.fees


class PlaceStop(models.Model):
    """One stop of a mobile service (a France Services bus, a conseiller's rounds): the place
    is the service, each stop where and when it can be met. A source file gives one row per
    stop; the import gathers them (`itinerance`) and keeps each row's identifier here."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="stops", verbose_name=_("lieu")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    identifier = models.CharField(_("identifiant"), max_length=255, unique=True)
    name = models.CharField(_("arrêt"), max_length=255, blank=True)
    address = models.CharField(_("adresse"), max_length=255)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=255)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    opening_hours = models.TextField(_("horaires"), blank=True)
    opening_hours_valid = models.BooleanField(_("horaires lisibles"), default=True)

    class Meta:
        ordering = ["place", "position", "pk"]
        verbose_name = _("arrêt")
        verbose_name_plural = _("arrêts")
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_stop_coords")]

    def __str__(self) -> str:
        return f"{self.place.name} — {self.commune}"

    @property
    def commune_display(self) -> str:
        return display.commune(self.commune)


class PlaceChange(models.Model):
    """One hand edit of a place, for Hub staff to see what changed and who changed it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)
    changes = models.JSONField(_("modifications"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("modification d'un lieu")
        verbose_name_plural = _("modifications des lieux")

    def __str__(self) -> str:
        return f"{self.place} — {self.changed_at:%d/%m/%Y}"


class MergedIdentifier(models.Model):
    """The identifier of a fiche merged into another: a re-import of its source finds it here
    and does not bring the duplicate back."""

    identifier = models.CharField(_("identifiant"), max_length=255, unique=True)
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="merged_identifiers", verbose_name=_("lieu")
    )
    merged_at = models.DateTimeField(_("fusionné le"), auto_now_add=True)

    class Meta:
        verbose_name = _("identifiant fusionné")
        verbose_name_plural = _("identifiants fusionnés")

    def __str__(self) -> str:
        return f"{self.identifier} → {self.place_id}"


class PlaceImport(models.Model):
    """An import file uploaded in the admin: previewed first, then run by Celery."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Aperçu prêt")
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    file = models.FileField(_("fichier"), upload_to="directory/imports/")
    file_format = models.CharField(_("format"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.PREVIEWED)
    preview = models.JSONField(_("aperçu"), default=dict)
    report = models.JSONField(_("rapport"), default=dict)
    progress = models.PositiveIntegerField(_("lignes traitées"), default=0)
    total = models.PositiveIntegerField(_("lignes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de lieux")
        verbose_name_plural = _("imports de lieux")

    def __str__(self) -> str:
        return f"{self.file.name} ({self.get_status_display()})"


class PlaceErrorReport(models.Model):
    """« Signaler une erreur » on a public fiche: what is wrong, and an optional address to
    answer (erased when the report is closed)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField(_("ce qui est faux"), max_length=2000)
    email = models.EmailField(_("courriel (facultatif)"), blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")

    def __str__(self) -> str:
        return f"{self.place} — {self.created_at:%d/%m/%Y}"


class PlaceSource(models.Model):
    """A published export of places (the national cartography's files, another Hub's open
    data) that the directory re-imports on a schedule, with the same report as a file."""

    name = models.CharField(_("nom"), max_length=255)
    url = models.URLField(_("adresse du fichier"), max_length=500)
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Inscrite sur les lignes qui n'indiquent pas leur source."),
    )
    is_active = models.BooleanField(_("réimporter chaque nuit"), default=True)
    fetched_at = models.DateTimeField(_("dernier import le"), null=True, blank=True)
    report = models.JSONField(_("dernier rapport"), default=dict, blank=True)
    error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source de lieux")
        verbose_name_plural = _("sources de lieux")

    def __str__(self) -> str:
        return self.name


class StructureMembership(models.Model):
    """A person belongs to a structure; a manager may edit its places and book equipment for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_manager = models.BooleanField(_("gestionnaire"), default=False)
    # « Je gère cette structure », asked at sign-up: Hub staff approve or refuse it.
    manager_requested_at = models.DateTimeField(
        _("gestion demandée le"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance à une structure")
        verbose_name_plural = _("appartenances aux structures")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="directory_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class PlaceProposal(models.Model):
    """A place a structure manager proposes for their structure: its fiche waits here, out of
    every public list, map, export and API, until Hub staff approve it (the place is then
    created) or refuse it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de relecture")
        APPROVED = "approved", _("Publié")
        REFUSED = "refused", _("Refusé")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="place_proposals",
        verbose_name=_("structure"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposé par"),
    )
    data = models.JSONField(_("fiche proposée"), default=dict)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.PENDING)
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lieu créé"),
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lieu proposé")
        verbose_name_plural = _("lieux proposés")

    def __str__(self) -> str:
        return f"{self.data.get('name', '?')} ({self.organisation})"

    @property
    def name(self) -> str:
        return self.data.get("name", "")

    @property
    def commune(self) -> str:
        return self.data.get("commune", "")
