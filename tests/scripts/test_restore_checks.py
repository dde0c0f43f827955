"""The restore drill's checks, on the test database and on copies of real files broken on
purpose."""

import hashlib
import shutil

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from scripts import restore_checks
from sellers.models import Category
from tests.files import pdf_bytes, png_bytes
from tests.sellers.factories import CategoryFactory, CompanyFactory, EvidenceFactory


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def flip_first_byte(path) -> None:
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def stored_files(db):
    """Three evidence files and a business licence, each row holding its file's digest."""
    photos = [png_bytes(color=(10 * n, 40, 40)) for n in range(3)]
    evidence = [
        EvidenceFactory(file__data=photo, sha256=sha256(photo), size=len(photo)) for photo in photos
    ]
    licence = pdf_bytes("Business licence")
    company = CompanyFactory(
        business_licence=ContentFile(licence, name="licence.pdf"),
        business_licence_sha256=sha256(licence),
    )
    return evidence, company, sum(map(len, photos)), len(licence)


def test_check_files_finds_nothing_wrong_in_a_faithful_copy(stored_files, settings, tmp_path):
    _, _, evidence_bytes, licence_bytes = stored_files
    copy = tmp_path / "restored"
    shutil.copytree(settings.MEDIA_ROOT, copy)

    summary, mismatches = restore_checks.check_files("default", copy)

    assert mismatches == []
    fields = summary["fields"]
    assert fields["sellers.Evidence.file"] == {
        "rows": 3,
        "bytes": evidence_bytes,
        "hash_field": "sha256",
        "without_hash": 0,
    }
    assert fields["sellers.SellerCompany.business_licence"] == {
        "rows": 1,
        "bytes": licence_bytes,
        "hash_field": "business_licence_sha256",
        "without_hash": 0,
    }
    assert fields["reviews.RegistryVerification.capture"]["hash_field"] == "capture_sha256"
    assert summary["files_no_row_names"] == 0


def test_check_files_names_a_missing_file_and_each_changed_byte(stored_files, settings, tmp_path):
    evidence, company, _, _ = stored_files
    copy = tmp_path / "restored"
    shutil.copytree(settings.MEDIA_ROOT, copy)
    (copy / evidence[0].file.name).unlink()
    flip_first_byte(copy / evidence[2].file.name)
    flip_first_byte(copy / company.business_licence.name)
    (copy / "evidence" / "later-upload.png").write_bytes(png_bytes())

    summary, mismatches = restore_checks.check_files("default", copy)

    assert mismatches == [
        f"sellers.Evidence.file: 1 files missing: [{evidence[0].pk} ({evidence[0].file.name})]",
        f"sellers.Evidence.file: 1 files differ from their SHA-256: "
        f"[{evidence[2].pk} ({evidence[2].file.name})]",
        f"sellers.SellerCompany.business_licence: 1 files differ from their SHA-256: "
        f"[{company.pk} ({company.business_licence.name})]",
    ]
    assert summary["files_no_row_names"] == 1


def test_check_files_does_not_follow_a_name_out_of_the_folder(stored_files, settings, tmp_path):
    evidence, _, _, _ = stored_files
    copy = tmp_path / "restored"
    shutil.copytree(settings.MEDIA_ROOT, copy)
    outside = tmp_path / "outside.png"
    shutil.copy(copy / evidence[1].file.name, outside)
    type(evidence[1]).objects.filter(pk=evidence[1].pk).update(file="../outside.png")

    _, mismatches = restore_checks.check_files("default", copy)

    assert mismatches == [
        f"sellers.Evidence.file: 1 files missing: [{evidence[1].pk} (../outside.png)]"
    ]


def test_compare_rows_names_missing_changed_and_extra_rows(db):
    kept, changed, removed = (CategoryFactory(code=f"drill-{n}") for n in range(3))
    with connection.cursor() as cursor:
        at_backup = restore_checks.table_rows(cursor)
        Category.objects.filter(pk=changed.pk).update(name="Renamed after the backup")
        Category.objects.filter(pk=removed.pk).delete()
        added = CategoryFactory(code="drill-after")
        restored = restore_checks.table_rows(cursor)

    counts, mismatches = restore_checks.compare_rows(at_backup, restored)
    unchanged_counts, no_mismatches = restore_checks.compare_rows(at_backup, at_backup)

    total = at_backup["sellers_category"].total()
    assert mismatches == [
        f"table sellers_category: {total} rows at backup, {total} restored; "
        f"missing ids [{removed.pk}], changed ids [{changed.pk}], extra ids [{added.pk}]"
    ]
    assert no_mismatches == []
    assert counts == unchanged_counts
    assert kept.pk in {int(row_id) for row_id, _ in restored["sellers_category"]}


def test_compare_schema_names_an_index_the_restore_lost(db):
    with connection.cursor() as cursor:
        at_backup = restore_checks.schema_objects(cursor)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'sellers_evidence' "
            "AND indexdef LIKE '%(sha256)%'"
        )
        (index,) = cursor.fetchone()
        # DDL is transactional in PostgreSQL: the test's rollback brings the index back.
        cursor.execute(f'DROP INDEX "{index}"')
        restored = restore_checks.schema_objects(cursor)

    assert restore_checks.compare_schema(at_backup, restored) == [
        f"index {index} on sellers_evidence is not restored as it was"
    ]
    assert restore_checks.compare_schema(at_backup, at_backup) == []


def test_sequences_behind_names_a_sequence_its_table_has_overtaken(db):
    newest = CategoryFactory(code="drill-newest")
    sequence = "sellers_category_id_seq"
    with connection.cursor() as cursor:
        assert restore_checks.sequences_behind(cursor) == []
        # Sequences ignore rollbacks: put it back as it was for the tests that follow.
        cursor.execute("SELECT last_value, is_called FROM sellers_category_id_seq")
        last_value, is_called = cursor.fetchone()
        cursor.execute("SELECT setval(%s, 1)", [sequence])
        try:
            behind = restore_checks.sequences_behind(cursor)
        finally:
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])

    assert behind == [
        "sequence sellers_category_id_seq would next give 2, "
        f"but sellers_category.id already reaches {newest.pk}"
    ]
