"""docs/operations.md documents every variable settings.py reads, as the code reads it."""

import re

from brandprogram.settings_doc import (
    OPERATIONS,
    SETTINGS,
    documented_rows,
    regenerate,
    settings_variables,
)

SOURCE = SETTINGS.read_text(encoding="utf-8")
DOCUMENT = OPERATIONS.read_text(encoding="utf-8")


def test_every_env_name_in_settings_is_in_the_table():
    # A plain text search, independent of the generator's own parsing of the file.
    named = set(re.findall(r'\benv_[a-z]+\(\s*"([A-Z][A-Z0-9_]*)"', SOURCE))

    assert len(named) > 50
    assert named - set(documented_rows(DOCUMENT)) == set()
    assert {variable.name for variable in settings_variables()} == named


def test_the_table_is_current_and_every_row_is_described():
    rows = documented_rows(DOCUMENT)

    assert regenerate(DOCUMENT, settings_variables()) == DOCUMENT, "run make settings-doc"
    assert [name for name, cells in rows.items() if len(cells[-1]) < 8] == []


def test_kinds_and_defaults_come_from_the_code():
    source = """
A = env_int("RETRY_SECONDS", 15 * 60, minimum=1)
B = env_bool("FEATURE_ON", default=not DEBUG)
C = env_list("NAMES", ["a", "b"])
D = env_str("TOKEN")
E = env_broker("QUEUE_URL")
F = env_str("QUEUE_URL", "")
"""
    variables = {v.name: (v.kind, v.default) for v in settings_variables(source)}

    assert variables == {
        "RETRY_SECONDS": ("whole number", "`900`"),
        "FEATURE_ON": ("true/false", "`not DEBUG`"),
        "NAMES": ("comma-separated", "`a`, `b`"),
        "TOKEN": ("text", "(empty)"),
        "QUEUE_URL": ("redis:// URL", "unset"),
    }


def test_regenerating_keeps_descriptions_and_leaves_new_rows_blank():
    document = (
        "intro\n<!-- settings-table:start -->\n| variable | kind | default | what it does |\n"
        "| --- | --- | --- | --- |\n| `OLD` | text | (empty) | Kept as written. |\n"
        "<!-- settings-table:end -->\noutro\n"
    )
    variables = settings_variables('X = env_str("OLD")\nY = env_int("NEW", 3)\n')

    rows = documented_rows(regenerate(document, variables))

    assert rows == {
        "OLD": ["text", "(empty)", "Kept as written."],
        "NEW": ["whole number", "`3`", ""],
    }
