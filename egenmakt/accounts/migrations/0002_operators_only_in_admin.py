"""Django's admin is for the platform operators (superusers) only.

Until now the demo gave every administrator ``is_staff`` and the "Administratörer" group,
whose global permissions on users, organisations and memberships let an administrator of
any organisation make itself superuser (issue 17, finding 1). Administrators now work in
the app's own administration pages, scoped to their own organisation.
"""

from django.db import migrations

ADMIN_GROUP = "Administratörer"


def operators_only(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    User.objects.filter(is_staff=True, is_superuser=False).update(is_staff=False)
    Group.objects.filter(name=ADMIN_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Reversing restores no access: the group and the flags were the defect.
    operations = [migrations.RunPython(operators_only, migrations.RunPython.noop)]
