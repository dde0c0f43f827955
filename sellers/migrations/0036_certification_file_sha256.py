import hashlib

from django.db import migrations, models


def hash_stored_files(apps, schema_editor):
    """Certificates uploaded before the hash was kept get it from their stored file; one whose
    file is gone keeps none, and shows no page pictures."""
    Certification = apps.get_model("sellers", "Certification")
    for certification in Certification.objects.exclude(file="").iterator():
        digest = hashlib.sha256()
        try:
            with certification.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            continue
        Certification.objects.filter(pk=certification.pk).update(file_sha256=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0035_event_note_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="file_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="SHA-256 of the file"),
        ),
        migrations.RunPython(hash_stored_files, migrations.RunPython.noop),
    ]
