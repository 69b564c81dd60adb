"""Places of digital mediation and the organisations that run them, in the national data
standard of lieux de médiation numérique (schema.data.gouv.fr, LaMednum/standard-mediation-num).

This is the base layer: sessions happen at a Place, equipment lives at a Place, bookings are
made for an Organisation, people belong to Organisations through StructureMembership."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=255)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, db_index=True)
    departement = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"


class StructureMembership(models.Model):
    """A person belongs to a structure; a manager may edit its places and book equipment for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_manager = models.BooleanField(_("gestionnaire"), default=False)
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
