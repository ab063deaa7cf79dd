"""The alert–community link becomes a model of its own (same table), with the alert's
publication time copied in, for the feed's index."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE alerts_alert_communities SET published_at = (
    SELECT published_at FROM alerts_alert WHERE alerts_alert.id = alerts_alert_communities.alert_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_figures_tallies_and_indexes"),
        ("neighbourhoods", "0002_unaccent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AlertCommunity",
                    fields=[
                        ("id", models.AutoField(primary_key=True, serialize=False)),
                        (
                            "alert",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="alerts.alert"),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="neighbourhoods.community"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "alerts_alert_communities",
                        "unique_together": {("alert", "community")},
                    },
                ),
                migrations.AlterField(
                    model_name="alert",
                    name="communities",
                    field=models.ManyToManyField(
                        related_name="alerts",
                        through="alerts.AlertCommunity",
                        to="neighbourhoods.community",
                        verbose_name="communities",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="alertcommunity",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="alertcommunity",
            index=models.Index(fields=["community", "-published_at", "-alert"], name="alert_community_feed"),
        ),
    ]
