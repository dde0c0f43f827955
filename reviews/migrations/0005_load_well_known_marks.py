from django.db import migrations

from reviews.similarity.marks import well_known_load


def load(apps, schema_editor):
    well_known_load(apps.get_model("reviews", "ReferenceMark"))


def unload(apps, schema_editor):
    apps.get_model("reviews", "ReferenceMark").objects.filter(kind="well_known").delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_reference_marks")]

    operations = [migrations.RunPython(load, unload)]
