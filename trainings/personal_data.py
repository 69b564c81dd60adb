"""A person's questionnaire answers in their data export; deleted with the account."""

from .models import SatisfactionAnswer


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
