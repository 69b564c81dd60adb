"""A person's questionnaire answers and certificates in their data export; deleted with the
account (a deleted account's certificates then read « attestation introuvable »)."""

from .certificates import certificate_verify_url
from .models import Certificate, SatisfactionAnswer


def answers_export(user) -> list[dict]:
    return [
        {
            "formation": answer.training.title,
            "note": answer.rating,
            "utile": answer.useful,
            "a_ameliorer": answer.improve,
            "recommande": answer.would_recommend,
            "date": answer.created_at.isoformat(),
        }
        for answer in SatisfactionAnswer.objects.filter(registration__user=user).select_related(
            "training"
        )
    ]


def answers_erase(user) -> None:
    SatisfactionAnswer.objects.filter(registration__user=user).delete()


def certificates_export(user) -> list[dict]:
    return [
        {
            "numero": certificate.code,
            "nom_imprime": certificate.name,
            "formation": certificate.training_title,
            "debut": certificate.session_start.isoformat(),
            "duree_minutes": certificate.duration_minutes,
            "verification": certificate_verify_url(certificate),
            "revoquee_le": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        }
        for certificate in Certificate.objects.filter(registration__user=user)
    ]


def certificates_erase(user) -> None:
    Certificate.objects.filter(registration__user=user).delete()
