"""Demo content of the site shell: a Hub with its home page, a few pages, its menu and two
accounts. Every `load_*` function is idempotent."""

import io

from django.core.files.images import ImageFile
from django.urls import reverse

from wagtail.images.models import Image
from wagtail.models import Site

from accounts import services as account_services
from accounts.models import User
from accounts.roles import HUB_STAFF

from .models import ContentPage, HomePage, SiteSettings


def demo_logo(name: str) -> Image:
    """A plain logo drawn for the demo (the Hub's diamond and name on its blue), so that the
    emails, the paper agenda and the posters show where a real Hub's logo goes."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (720, 160), "#1d3f8f")
    draw = ImageDraw.Draw(picture)
    draw.polygon([(80, 20), (140, 80), (80, 140), (20, 80)], fill="#ffffff")
    draw.text((170, 80), name, fill="#ffffff", anchor="lm", font=ImageFont.load_default(size=44))
    content = io.BytesIO()
    picture.save(content, format="PNG")
    return Image.objects.create(
        title=f"Logo — {name}", file=ImageFile(content, name="logo-hub.png")
    )


STAFF_EMAIL, STAFF_PASSWORD = "equipe@hub-demo.fr", "demo-equipe-2026"
MEDIATOR_EMAIL, MEDIATOR_PASSWORD = "camille@demo-mediation.fr", "demo-mediation-2026"

PAGES = [
    (
        "le-hub",
        "Le Hub",
        "Le Hub anime le réseau des acteurs de la médiation numérique de la région.",
        [
            ("heading", {"text": "Nos missions", "level": "h2"}),
            (
                "paragraph",
                "<p>Outiller les médiateurs et médiatrices numériques, les conseillers et "
                "conseillères numériques, les aidants France Services et les agents d'accueil ; "
                "mettre en réseau les structures ; rendre visible l'offre de médiation numérique "
                "dans chaque territoire.</p>",
            ),
            (
                "callout",
                {
                    "title": "Nous contacter",
                    "text": "<p>Une question ? Écrivez-nous ou appelez-nous "
                    "du lundi au vendredi, de 9 h à 17 h.</p>",
                },
            ),
        ],
    ),
    (
        "accessibilite",
        "Accessibilité",
        "Déclaration d'accessibilité du portail.",
        [
            (
                "paragraph",
                "<p>Le portail vise la conformité au RGAA 4.1. Il se consulte sans JavaScript, "
                "au clavier et avec un lecteur d'écran. Signalez-nous toute difficulté.</p>",
            ),
        ],
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "Éditeur, hébergeur et données personnelles.",
        [
            (
                "paragraph",
                "<p>Les données personnelles sont utilisées pour les inscriptions aux formations, "
                "les réservations de matériel et la lettre d'information. Chaque personne peut les "
                "télécharger ou les supprimer depuis « Mon espace ».</p>",
            ),
        ],
    ),
]


def load_site() -> HomePage:
    home = HomePage.objects.get()
    title = "Le portail de la médiation numérique en Bretagne"
    if home.title != title:
        home.title = title
        home.intro = (
            "Trouvez une formation, inscrivez-vous en deux clics, échangez entre pairs, "
            "réservez du matériel de la numérithèque et orientez les publics vers le bon lieu."
        )
        home.save_revision().publish()
    for slug, title, intro, body in PAGES:
        if not ContentPage.objects.filter(slug=slug).exists():
            home.add_child(instance=ContentPage(title=title, slug=slug, intro=intro, body=body))

    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    settings.hub_name = "Hub numérique Bretagne"
    settings.tagline = "Le réseau des acteurs de la médiation numérique"
    settings.contact_email = "contact@hub-demo.fr"
    settings.contact_phone = "02 99 00 00 00"
    settings.address = "2 rue de la Mabilais\n35000 Rennes"
    settings.departements = "22, 29, 35, 56"
    settings.logo = settings.logo or demo_logo(settings.hub_name)
    settings.main_menu = [
        ("link", {"label": "Le Hub", "page": ContentPage.objects.get(slug="le-hub"), "url": ""})
    ]
    settings.footer_links = [
        ("link", {"label": title, "page": ContentPage.objects.get(slug=slug), "url": ""})
        for slug, title, _intro, _body in PAGES[1:]
    ] + [
        # Partners relay the agenda and reuse the data without retyping (issue 9).
        ("link", {"label": label, "page": None, "url": reverse(url_name)})
        for label, url_name in (
            ("Relayer l'agenda", "relay:relay"),
            ("Données ouvertes", "relay:open_data"),
            ("API ouverte", "api:openapi-view"),
        )
    ]
    settings.social_links = [
        (
            "link",
            {"label": "Mastodon", "page": None, "url": "https://mastodon.social/@hubnumerique"},
        ),
        (
            "link",
            {
                "label": "LinkedIn",
                "page": None,
                "url": "https://www.linkedin.com/company/hub-numerique",
            },
        ),
    ]
    settings.save()
    return home


def add_menu_link(*, label: str, url: str) -> None:
    """Let other apps' demo add their index page to the main menu, once."""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if any(block.value["label"] == label for block in site_settings.main_menu):
        return
    site_settings.main_menu.append(("link", {"label": label, "page": None, "url": url}))
    site_settings.save()


def load_accounts() -> dict[str, User]:
    staff = User.objects.filter(email=STAFF_EMAIL).first() or account_services.user_create(
        email=STAFF_EMAIL,
        password=STAFF_PASSWORD,
        verified=True,
        first_name="Morgane",
        last_name="Le Goff",
        field_role=User.FieldRole.OTHER,
        departement="35",
        employer_name="Hub numérique Bretagne",
    )
    account_services.user_assign_role(user=staff, role=HUB_STAFF)
    mediator = User.objects.filter(email=MEDIATOR_EMAIL).first() or account_services.user_create(
        email=MEDIATOR_EMAIL,
        password=MEDIATOR_PASSWORD,
        verified=True,
        first_name="Camille",
        last_name="Guégan",
        field_role=User.FieldRole.ADVISOR,
        departement="29",
        employer_name="Médiathèque de Quimper",
    )
    return {"staff": staff, "mediator": mediator}
