"""Reminders before a session: which ones a page sends (J-7, J-1, the morning of), each sent
once per registration, and the people who turned them off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Registration


class ReminderKind(models.TextChoices):
    WEEK = "j7", _("Une semaine avant (J-7)")
    DAY = "j1", _("La veille (J-1)")
    MORNING = "matin", _("Le matin même")


class Reminder(models.Model):
    """This reminder was sent for this registration: written (unique per registration and kind)
    before the message leaves, so a retried task never sends it twice."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("rappel"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="events_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} — {self.get_kind_display()}"


class ReminderOptOut(models.Model):
    """The person asked for no reminder at all (Mon espace)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="reminder_opt_out",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("refus des rappels")
        verbose_name_plural = _("refus des rappels")

    def __str__(self) -> str:
        return str(self.user_id)
