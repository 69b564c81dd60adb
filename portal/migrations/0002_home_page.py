"""Replace Wagtail's placeholder page with the portal's home page, so that a fresh install
without demo content still shows a French home page."""

from django.db import migrations


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Le portail de la médiation numérique",
        draft_title="Le portail de la médiation numérique",
        slug="accueil",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        intro="Formations, agenda, échanges entre pairs, numérithèque et annuaire des lieux.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Maillage")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    run_before = []
    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
