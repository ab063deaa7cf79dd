"""PostgreSQL's unaccent extension, for the accent-insensitive member search
(neighbourhoods.selectors.search_members). Nothing to do on SQLite (the demo), which
searches without it.

unaccent is a trusted extension (PostgreSQL 13+): the owner of the database may create it
without being a superuser. It is not dropped on the way back: other code may use it.
"""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhoods", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_unaccent, migrations.RunPython.noop, elidable=False),
    ]
