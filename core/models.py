"""The access log (who among the staff saw other people's personal data, when, and where) and
the row behind the data-version counter."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One visit of a staff view showing other people's data. Append-only: written by
    `core.services.personal_data_access_record`, read-only in the admin, erased after the
    retention period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consulté par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_label = models.CharField(_("compte"), max_length=254, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    what = models.CharField(_("écran"), max_length=200)
    path = models.CharField(_("adresse"), max_length=500, blank=True)
    target = models.CharField(_("données consultées"), max_length=255, blank=True)

    # Nothing links to a log entry: keeping Wagtail from indexing its references spares a
    # second write on every staff screen shown.
    wagtail_reference_index_ignore = True
    # Never shown to visitors: recording a visit does not invalidate the public caches.
    data_version_ignore = True

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("consultation de données personnelles")
        verbose_name_plural = _("consultations de données personnelles")

    def __str__(self) -> str:
        return f"{self.user_label} — {self.what} ({self.at:%d/%m/%Y %H:%M})"


class DataVersion(models.Model):
    """The single row behind `core.data_version` when the cache is not shared between processes
    (the embedded setup): written only by that module, with `update()`."""

    version = models.BigIntegerField()
    changed_at = models.DateTimeField()

    data_version_ignore = True
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("version des données publiques")
        verbose_name_plural = _("versions des données publiques")

    def __str__(self) -> str:
        return str(self.version)
