"""Editors who picked English in Wagtail's account settings go back to French: the portal offers
no other language since it has no translation of its own strings (issue 17), and Wagtail keeps
using a stored preference even once the language is no longer permitted."""

from django.conf import settings
from django.db import migrations


def forget_unoffered_languages(apps, schema_editor):
    offered = {code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES}
    profiles = apps.get_model("wagtailusers", "UserProfile").objects
    profiles.exclude(preferred_language="").exclude(preferred_language__in=offered).update(
        preferred_language=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]
    operations = [migrations.RunPython(forget_unoffered_languages, migrations.RunPython.noop)]
