from django.db import migrations

COVER = (
    "CREATE INDEX reference_mark_skeleton_cover ON reviews_referencemark (skeleton) "
    "INCLUDE (name, owner, kind, source, list_version, sound_key)"
)
PLAIN = "CREATE INDEX reference_mark_skeleton ON reviews_referencemark (skeleton)"


def skeleton_index_cover(apps, schema_editor):
    # The B-tree on skeleton becomes one holding the columns the brand-name check reads, built
    # before the plain one goes so equality lookups always have one. SQLite has no such index
    # (and the check reads every mark there): it loses the plain one it does not use.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COVER)
    schema_editor.execute("DROP INDEX reference_mark_skeleton")


def skeleton_index_plain(apps, schema_editor):
    schema_editor.execute(PLAIN)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX reference_mark_skeleton_cover")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0016_staff_profile"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(skeleton_index_cover, skeleton_index_plain),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="referencemark", name="reference_mark_skeleton"),
            ],
        ),
    ]
