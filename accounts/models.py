"""The person behind an account: email as login, and the profile the Hub needs to orient them
(role in the field, département, interests)."""

import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class EmailUserManager(UserManager):
    """Users are found and created by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    class FieldRole(models.TextChoices):
        MEDIATOR = "mediateur", _("Médiateur·rice numérique")
        ADVISOR = "conseiller", _("Conseiller·ère numérique")
        FRANCE_SERVICES = "aidant_fs", _("Aidant·e France Services")
        VOLUNTEER = "benevole", _("Bénévole")
        SOCIAL_WORKER = "travailleur_social", _("Travailleur·se social·e")
        RECEPTION = "agent_accueil", _("Agent d'accueil")
        OTHER = "autre", _("Autre")

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    field_role = models.CharField(
        _("rôle dans la médiation numérique"), max_length=30, choices=FieldRole.choices, blank=True
    )
    employer_name = models.CharField(
        _("structure employeuse"),
        max_length=200,
        blank=True,
        help_text=_("Le nom de votre structure, si elle n'est pas encore dans l'annuaire."),
    )
    departement = models.CharField(_("département"), max_length=3, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    interests = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("centres d'intérêt"), blank=True, related_name="+"
    )
    calendar_token = models.CharField(
        _("jeton du calendrier personnel"),
        max_length=64,
        unique=True,
        default=new_feed_token,
        editable=False,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]
