from django.db import migrations


def mark_queued(apps, schema_editor):
    # The applications an open queue item holds when the flag arrives; from then on
    # reviews.queues sets and clears it with the item.
    Application = apps.get_model("sellers", "Application")
    QueueItem = apps.get_model("reviews", "QueueItem")
    held = QueueItem.objects.filter(closed_at__isnull=True).values("application_id")
    Application.objects.filter(pk__in=held).update(in_queue=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0017_reference_mark_skeleton_cover"),
        ("sellers", "0038_application_in_queue"),
    ]

    operations = [migrations.RunPython(mark_queued, migrations.RunPython.noop)]
