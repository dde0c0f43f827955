"""`make restore-drill`: a backup taken while applications arrive, restored, and proven whole.

The drill starts the fault drill's throw-away stack under var/restore-drill/ (PostgreSQL,
Redis, gunicorn, a Celery worker, the sweeper, a webhook receiver), registers a company with a
business licence file, and lets a partner stream applications through the API (create, two
evidence files, submit; screening and webhooks follow). In the middle of that stream it

1. opens a read-only REPEATABLE READ transaction on the live database and exports its snapshot,
2. dumps the database in that snapshot (`pg_dump --format=custom --snapshot=…`),
3. only then copies the media folder, and reads every table's rows in the same snapshot.

Then it restores the dump into a fresh database of the same cluster (`pg_restore`) and the
file copy into a fresh folder, and reconciles the copy:

- every table has exactly the rows of the snapshot (each row compared whole, by digest), with
  the same constraints and indexes, and no sequence behind its column's highest id;
- every file a row names is in the restored folder, and where the row stores a SHA-256
  (evidence, business licences, registry captures) the file's bytes have it;
- every application, evidence file and submit the API acknowledged before the backup started
  is there (the evidence with the digest the client was told), and so is the delivery row of
  every webhook the receiver had got;
- `manage.py check` and `manage.py migrate --check` pass on the restored database.

It prints a JSON summary (counts, bytes, dump, copy and restore times, mismatches) and exits 1
on any mismatch. Everything it started is stopped and var/restore-drill/ removed on the way out,
whether the drill passed or not.
"""

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.db.models import Count
from faults_load import Drill, pdf_bytes
from faults_stack import PYTHON, ROOT, Stack, run_drill, say
from psycopg import IsolationLevel
from restore_checks import (
    check_files,
    compare_rows,
    compare_schema,
    schema_objects,
    sequences_behind,
    table_rows,
)

WORK = ROOT / "var" / "restore-drill"
SOURCE_DB, RESTORED_DB = "brandprogram", "brandprogram_restored"
# Traffic before the backup, so that it holds applications at every stage of the pipeline and
# delivered webhooks; and after it, so that the source moves on while the copy must not.
BEFORE_BACKUP_SECONDS = 10.0
AFTER_BACKUP_SECONDS = 5.0
# Row text is compared across two connections: timestamps must be written out alike.
SESSION = "-c TimeZone=UTC"


class Backup:
    """The database and the media folder of one moment, taken while the stream goes on."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.folder = stack.work / "backup"
        self.dump = self.folder / f"{SOURCE_DB}.dump"
        self.media = self.folder / "media"
        self.started_at = 0.0  # time.monotonic() just before the snapshot
        self.rows: dict = {}
        self.schema: set = set()
        self.timings: dict[str, float] = {}

    def take(self) -> None:
        self.folder.mkdir()
        connection = psycopg.connect(self.stack.database_url(SOURCE_DB), options=SESSION)
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        self.started_at = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
                # pg_dump reads in the snapshot this transaction holds open: exactly the rows
                # committed before it, whatever commits while the dump runs.
                self.stack.pg_client(
                    "pg_dump", "--format=custom", f"--snapshot={snapshot}",
                    "--file", self.dump, SOURCE_DB,
                )  # fmt: skip
                dumped = time.monotonic()
                # Files after the snapshot, never before: a request writes its file to
                # MEDIA_ROOT inside its transaction, before the row commits (evidence_store,
                # company_register, the registry capture), so every row in the snapshot had its
                # file on disk before the copy began. Copied the other way round, a row
                # committed between the copy and the snapshot would name a file the backup
                # lacks. Files written or half-written during the copy belong to rows that
                # commit after the snapshot: they are harmless orphans. The copy must not
                # follow deletions (a draft's evidence removed after the snapshot), which is
                # why real backups keep the previous file snapshot (see docs/operations.md).
                shutil.copytree(self.stack.work / "media", self.media)
                copied = time.monotonic()
                self.rows, self.schema = table_rows(cursor), schema_objects(cursor)
        finally:
            connection.close()
        self.timings = {
            "dump_s": round(dumped - self.started_at, 2),
            "files_copy_s": round(copied - dumped, 2),
        }


def main() -> int:
    stack = Stack(WORK)
    return run_drill(stack, lambda: exercise(stack), failures="mismatches")


def exercise(stack: Stack) -> dict:
    """A backup taken under load, restored and reconciled; the summary lists any mismatch."""
    started = time.monotonic()
    stack.start()
    key, seller_id = stack.provision()
    register_licensed_company()
    drill = Drill(stack, key, seller_id)
    drill.register_webhook()
    say(f"stack up in {time.monotonic() - started:.0f} s; submitting applications")
    backup = Backup(stack)

    def scenario() -> None:
        time.sleep(BEFORE_BACKUP_SECONDS)
        say("taking the backup while applications keep arriving")
        backup.take()
        time.sleep(AFTER_BACKUP_SECONDS)

    drill.run(scenario)
    say(f"{len(drill.submissions)} applications sent; restoring the backup")
    restored_media = WORK / "restored-media"
    restore_timings = restore(stack, backup, restored_media)
    summary = reconcile(stack, drill, backup, restored_media)
    summary["timings_s"] = {
        **backup.timings,
        **restore_timings,
        "total": round(time.monotonic() - started, 1),
    }
    summary["backup_bytes"] = {
        "dump": backup.dump.stat().st_size,
        "files": sum(p.stat().st_size for p in backup.media.rglob("*") if p.is_file()),
    }
    return summary


def register_licensed_company() -> None:
    """A seller signed up with a business licence, so that its file is backed up and checked."""
    # The project's code loads only once the stack has set Django up (Stack.start).
    from sellers.services.companies import company_register

    licence = pdf_bytes("Business licence of Restore Drill Trading LLC")
    company_register(
        legal_name="Restore Drill Trading LLC",
        country="US",
        registration_number="RESTORE-DRILL-0001",
        owner_email="owner@restore-drill.example",
        owner_password=uuid.uuid4().hex,
        business_licence=SimpleUploadedFile("licence.pdf", licence, "application/pdf"),
    )
    connections.close_all()


def restore(stack: Stack, backup: Backup, restored_media: Path) -> dict:
    """The dump into a database made for it, the files into a folder that did not exist."""
    stack.create_database(RESTORED_DB)
    started = time.monotonic()
    stack.pg_client("pg_restore", "--exit-on-error", "--no-owner", "--dbname", RESTORED_DB,
                    backup.dump)  # fmt: skip
    restored = time.monotonic()
    shutil.copytree(backup.media, restored_media)
    return {
        "restore_db_s": round(restored - started, 2),
        "restore_files_s": round(time.monotonic() - restored, 2),
    }


def reconcile(stack: Stack, drill: Drill, backup: Backup, restored_media: Path) -> dict:
    connections.settings["restored"] = {**connections.settings["default"], "NAME": RESTORED_DB}
    restored = psycopg.connect(stack.database_url(RESTORED_DB), options=SESSION)
    with restored, restored.cursor() as cursor:
        rows, schema = table_rows(cursor), schema_objects(cursor)
        behind = sequences_behind(cursor)
    counts, mismatches = compare_rows(backup.rows, rows)
    mismatches += compare_schema(backup.schema, schema) + behind
    files, file_mismatches = check_files("restored", restored_media)
    mismatches += file_mismatches
    acknowledged = _acknowledged(drill, backup.started_at, mismatches)
    service = _service_starts(stack, restored_media, mismatches)
    return {
        "ok": not mismatches,
        "mismatches": mismatches,
        "applications_sent": len(drill.submissions),
        "acknowledged": acknowledged,
        "restored": _figures("restored") | {"rows_per_table": _nonzero(counts)},
        "source_now": _figures("default"),
        "files": files,
        "service_on_restored_copy": service,
    }


def _acknowledged(drill: Drill, backup_started: float, mismatches: list[str]) -> dict:
    """What the client was told before the backup started must be in the copy."""
    # As above: the models load once Django is set up.
    from sellers.models import Application, ApplicationEvent, Evidence, WebhookDelivery

    submissions = drill.submissions
    created = {s.application_id for s in submissions if _before(s.created_at, backup_started)}
    files = {
        evidence_id: sha256
        for s in submissions
        for evidence_id, sha256, at in s.evidence
        if at < backup_started
    }
    submitted = {s.application_id for s in submissions if _before(s.submitted_at, backup_started)}
    received = {
        event_id
        for event_id, at in drill.stack.receiver.first_received.items()
        if at < backup_started
    }
    applications = set(
        Application.objects.using("restored").filter(pk__in=created).values_list("pk", flat=True)
    )
    stored = dict(
        Evidence.objects.using("restored").filter(pk__in=files).values_list("pk", "sha256")
    )
    submit_events = set(
        ApplicationEvent.objects.using("restored")
        .filter(application_id__in=submitted, action="submit")
        .values_list("application_id", flat=True)
    )
    deliveries = set(
        WebhookDelivery.objects.using("restored")
        .filter(event_id__in=received)
        .values_list("event_id", flat=True)
    )
    checks = (
        ("applications created", created - applications),
        ("evidence files", {pk for pk, sha256 in files.items() if stored.get(pk) != sha256}),
        ("submits (no submit event)", submitted - submit_events),
        ("webhooks received (no delivery row)", received - deliveries),
    )
    for what, lost in checks:
        if lost:
            mismatches.append(f"acknowledged before the backup but not restored, {what}: "
                              f"{sorted(lost)[:10]} ({len(lost)} in all)")  # fmt: skip
    after = {s.application_id for s in submissions if (s.created_at or 0) >= backup_started}
    # A drill with nothing on one side of the backup proves nothing about taking it under load.
    if not created or not after or not received:
        mismatches.append(
            f"the backup did not fall inside the traffic: {len(created)} applications before it,"
            f" {len(after)} after, {len(received)} webhooks received before it"
        )
    return {
        "before_backup": {
            "applications": len(created),
            "evidence_files": len(files),
            "submits": len(submitted),
            "webhooks_received": len(received),
        },
        "applications_after_backup": len(after),
    }


def _before(moment: float | None, backup_started: float) -> bool:
    return moment is not None and moment < backup_started


def _figures(alias: str) -> dict:
    # As above: the models load once Django is set up.
    from sellers.models import Application, ApplicationEvent, Evidence, WebhookDelivery

    def by(queryset, field: str) -> dict:
        pairs = queryset.using(alias).values_list(field).annotate(n=Count("pk")).order_by(field)
        return dict(pairs)

    return {
        "applications": by(Application.objects, "status"),
        "events": ApplicationEvent.objects.using(alias).count(),
        "evidence": Evidence.objects.using(alias).count(),
        "webhook_deliveries": by(WebhookDelivery.objects, "status"),
    }


def _nonzero(counts: dict) -> dict:
    return {table: n for table, n in counts.items() if n}


def _service_starts(stack: Stack, restored_media: Path, mismatches: list[str]) -> dict:
    """Django's own checks, and no migration left to apply, on the restored database."""
    env = {
        **stack.env,
        "DATABASE_URL": stack.database_url(RESTORED_DB),
        "MEDIA_ROOT": str(restored_media),
    }
    results = {}
    for command in (["check", "--database", "default"], ["migrate", "--check"]):
        run = subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        name = " ".join(command)
        results[name] = "passed" if run.returncode == 0 else f"exit code {run.returncode}"
        if run.returncode:
            mismatches.append(f"manage.py {name} failed on the restored database: "
                              f"{(run.stdout + run.stderr).strip()[-2000:]}")  # fmt: skip
    return results


if __name__ == "__main__":
    sys.exit(main())
