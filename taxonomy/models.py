"""The shared vocabulary of the portal: the themes (seeded from Les Bases, the national resource
platform of digital mediation, so that trainings and resources speak the same words) and the
competences of the Hub's referential."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    name = models.CharField(_("intitulé"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thématique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competences",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")

    def __str__(self) -> str:
        return self.name
