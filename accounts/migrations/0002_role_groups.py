"""The three roles of the portal, as groups. Their permissions are granted after migrate by
accounts.services.roles_sync, once every app's permissions exist."""

from django.db import migrations

ROLES = ["Équipe du Hub", "Gestionnaire de structure", "Gestionnaire de la numérithèque"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
