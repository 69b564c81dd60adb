"""Territorial indicators loaded from files (never hard-coded), and read-only share links."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """A value per commune (or per EPCI) a Hub loaded, with what it needs to be cited."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune")
        EPCI = "epci", _("EPCI")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    level = models.CharField(_("échelle"), max_length=10, choices=Level, default=Level.COMMUNE)
    source = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    fragile_threshold = models.FloatField(
        _("seuil de fragilité"),
        null=True,
        blank=True,
        help_text=_("Une commune dont la valeur atteint ce seuil est comptée comme fragile."),
    )
    updated_at = models.DateTimeField(_("importé le"), auto_now=True)

    class Meta:
        ordering = ["name", "-year"]
        verbose_name = _("indicateur territorial")
        verbose_name_plural = _("indicateurs territoriaux")
        permissions = [("view_diagnosis", _("Voir le diagnostic territorial"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})" if self.year else self.name

    @property
    def attribution(self) -> str:
        parts = [self.name, self.source, str(self.year or "")]
        return " — ".join(part for part in parts if part)


class IndicatorValue(models.Model):
    """One value of an indicator, keyed by today's commune INSEE code (or an EPCI SIREN)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(_("code"), max_length=9)
    value = models.FloatField(_("valeur"))

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="territory_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} : {self.value}"


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """A read-only link to one diagnosis or one funders' report (its parameters, not its
    figures: they stay current), opened without an account, revocable. The one owner of share
    links: `reports` reads and writes them through this app's services and selectors."""

    class Kind(models.TextChoices):
        DIAGNOSIS = "diagnostic", _("diagnostic territorial")
        REPORT = "rapport", _("rapport d'activité")

    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    kind = models.CharField(
        _("objet partagé"), max_length=20, choices=Kind.choices, default=Kind.DIAGNOSIS
    )
    title = models.CharField(_("titre"), max_length=200)
    parameters = models.JSONField(_("paramètres"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    revoked = models.BooleanField(_("révoqué"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lien de partage")
        verbose_name_plural = _("liens de partage")

    def __str__(self) -> str:
        return self.title
