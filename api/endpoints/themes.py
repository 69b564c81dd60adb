"""/thematiques: the shared vocabulary the `thematique` filters take."""

from ninja import Router, Schema

from taxonomy.models import Theme

router = Router(tags=["Vocabulaire"])


class ThemeListOut(Schema):
    slug: str
    nom: str
    description: str | None = None


@router.get(
    "/thematiques",
    response=list[ThemeListOut],
    summary="Thématiques",
    operation_id="themes_list",
)
def themes_list(request):
    """Toutes les thématiques (leur `slug` sert de filtre)."""
    return [
        {"slug": theme.slug, "nom": theme.name, "description": theme.description or None}
        for theme in Theme.objects.order_by("position", "name")
    ]
