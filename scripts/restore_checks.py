"""What `make restore-drill` proves about a restored copy: its rows, schema, sequences and files.

Plain functions on a DB-API cursor or a Django database alias, so that the tests can run them
on the test database and on files they break on purpose.
"""

import collections
import hashlib
from pathlib import Path

from django.apps import apps
from django.db.models import FileField
from psycopg import sql

# How many row ids or file names a mismatch names before it only counts the rest.
SHOWN = 10


def table_rows(cursor) -> dict[str, collections.Counter]:
    """Every table of the public schema as a multiset of (row id, digest of the whole row).

    The digest is taken from the row's text form, so any changed value changes it; the id (the
    `id` column, None where a table has none) only names what differs. Read both sides with the
    same TimeZone setting: timestamps are written out in it.
    """
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    rows = {}
    for table in tables:
        query = sql.SQL("SELECT to_jsonb(t)->>'id', md5(t::text) FROM {} t")
        cursor.execute(query.format(sql.Identifier(table)))
        rows[table] = collections.Counter(cursor.fetchall())
    return rows


def compare_rows(expected: dict, actual: dict) -> tuple[dict, list[str]]:
    """Counts per table, and one mismatch per table whose rows differ (naming the ids)."""
    mismatches = []
    for table in sorted(expected.keys() - actual.keys()):
        mismatches.append(f"table {table} is missing from the restored database")
    for table in sorted(actual.keys() - expected.keys()):
        mismatches.append(f"table {table} is in the restored database only")
    for table in sorted(expected.keys() & actual.keys()):
        missing, extra = expected[table] - actual[table], actual[table] - expected[table]
        if not missing and not extra:
            continue
        missing_ids = {row_id for row_id, _ in missing}
        extra_ids = {row_id for row_id, _ in extra}
        mismatches.append(
            f"table {table}: {expected[table].total()} rows at backup, "
            f"{actual[table].total()} restored; "
            f"missing ids {_some(missing_ids - extra_ids)}, "
            f"changed ids {_some(missing_ids & extra_ids)}, "
            f"extra ids {_some(extra_ids - missing_ids)}"
        )
    counts = {table: rows.total() for table, rows in sorted(actual.items())}
    return counts, mismatches


def schema_objects(cursor) -> set[tuple[str, str, str]]:
    """Constraints and indexes of the public schema as (table, name, what it is): a restore
    that skipped or broke one would accept rows the service relies on never seeing. Their
    definitions are not compared: the server prints an expression it has read back from a dump
    in a different but equal form."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname,
               CASE c.contype WHEN 'p' THEN 'primary key' WHEN 'f' THEN 'foreign key'
                              WHEN 'u' THEN 'unique constraint' WHEN 'c' THEN 'check constraint'
                              ELSE 'constraint' END
               || CASE WHEN c.convalidated THEN '' ELSE ' (not valid)' END
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname = 'public'
        UNION ALL
        SELECT i.indrelid::regclass::text, x.relname,
               CASE WHEN i.indisunique THEN 'unique index' ELSE 'index' END
               || CASE WHEN i.indisvalid THEN '' ELSE ' (not valid)' END
          FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = x.relnamespace
         WHERE n.nspname = 'public'
        """
    )
    return set(cursor.fetchall())


def compare_schema(expected: set, actual: set) -> list[str]:
    missing = [f"{kind} {name} on {table} is not restored as it was"
               for table, name, kind in sorted(expected - actual)]  # fmt: skip
    extra = [f"{kind} {name} on {table} is in the restored database only"
             for table, name, kind in sorted(actual - expected)]  # fmt: skip
    return missing + extra


def sequences_behind(cursor) -> list[str]:
    """Identity and serial columns whose sequence would hand out an id already in the table:
    the first insert on the restored database would then fail."""
    cursor.execute(
        """
        SELECT table_name, column_name, s.schemaname, s.sequencename
          FROM information_schema.columns c
               JOIN pg_sequences s
                 ON pg_get_serial_sequence(quote_ident(c.table_name), c.column_name)
                    = quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename)
         WHERE c.table_schema = 'public'
         ORDER BY table_name
        """
    )
    behind = []
    for table, column, schema, sequence in cursor.fetchall():
        query = sql.SQL("SELECT last_value, is_called FROM {}")
        cursor.execute(query.format(sql.Identifier(schema, sequence)))
        last_value, is_called = cursor.fetchone()
        cursor.execute(
            sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(column), sql.Identifier(table))
        )
        (highest,) = cursor.fetchone()
        next_value = last_value + 1 if is_called else last_value
        if highest is not None and next_value <= highest:
            behind.append(f"sequence {sequence} would next give {next_value}, "
                          f"but {table}.{column} already reaches {highest}")  # fmt: skip
    return behind


def file_fields():
    """Every file field of the project's models, with the field holding its SHA-256 if any:
    `<field>_sha256`, or `sha256` on a model with a single file field."""
    for model in apps.get_models():
        files = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
        names = {f.name for f in model._meta.concrete_fields}
        for field in files:
            candidates = [f"{field.name}_sha256", *(["sha256"] if len(files) == 1 else [])]
            yield model, field, next((name for name in candidates if name in names), None)


def check_files(alias: str, media_root: Path) -> tuple[dict, list[str]]:
    """Each file a row of database `alias` names exists under media_root, and where the row
    stores a SHA-256, the file's bytes have it. Files no row names are only counted: a backup
    copies the files after the database, so it holds some of rows that came later."""
    root = Path(media_root).resolve()
    fields, mismatches, named = {}, [], set()
    for model, field, hash_name in file_fields():
        label = f"{model._meta.label}.{field.name}"
        rows = (
            model._base_manager.using(alias)
            .exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .order_by("pk")
            .values_list("pk", field.attname, hash_name or field.attname)
        )
        figures = {"rows": 0, "bytes": 0, "hash_field": hash_name, "without_hash": 0}
        missing, changed = [], []
        for pk, name, recorded in rows:
            figures["rows"] += 1
            path = (root / name).resolve()
            named.add(path)
            if not path.is_relative_to(root) or not path.is_file():
                missing.append(f"{pk} ({name})")
                continue
            figures["bytes"] += path.stat().st_size
            if hash_name is None:
                continue
            if not recorded:
                figures["without_hash"] += 1
            elif sha256_of(path) != recorded:
                changed.append(f"{pk} ({name})")
        if missing:
            mismatches.append(f"{label}: {len(missing)} files missing: {_some(missing)}")
        if changed:
            mismatches.append(
                f"{label}: {len(changed)} files differ from their SHA-256: {_some(changed)}"
            )
        fields[label] = figures
    unnamed = sum(1 for path in root.rglob("*") if path.is_file() and path not in named)
    return {"fields": fields, "files_no_row_names": unnamed}, mismatches


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _some(items) -> str:
    shown = sorted(items, key=lambda item: (item is None, str(item).zfill(12)))
    more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
    return f"[{', '.join(map(str, shown[:SHOWN]))}]{more}"
