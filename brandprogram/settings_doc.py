"""The settings table of docs/operations.md, generated from brandprogram/settings.py.

``python -m brandprogram.settings_doc`` (``make settings-doc``) rewrites the table between the
markers: one row per variable an ``env_*`` helper reads, with its kind and default taken from
the code, and the description already written in the table kept. A new variable gets an empty
description, which tests/brandprogram/test_settings_doc.py refuses until someone writes one.
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "brandprogram" / "settings.py"
OPERATIONS = ROOT / "docs" / "operations.md"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"
HEADER = "| variable | kind | default | what it does |\n| --- | --- | --- | --- |"

KINDS = {
    "env_database": "postgres:// URL",
    "env_broker": "redis:// URL",
    "env_bool": "true/false",
    "env_int": "whole number",
    "env_list": "comma-separated",
    "env_str": "text",
}
# Helpers whose unset value means something other than an empty default.
UNSET_MEANS = {"env_database": "SQLite under DATA_DIR", "env_broker": "unset"}
LONGEST_LIST_SHOWN = 3


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    default: str


def settings_variables(source: str | None = None) -> list[Variable]:
    """Every variable read through an env_* helper, in the order settings.py reads them."""
    source = SETTINGS.read_text(encoding="utf-8") if source is None else source
    found: dict[str, Variable] = {}
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in KINDS
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    for call in sorted(calls, key=lambda node: (node.lineno, node.col_offset)):
        variable = Variable(call.args[0].value, KINDS[call.func.id], _default(call, source))
        # A URL variable may be read again as plain text (a check); the URL reading describes it.
        if variable.name not in found or call.func.id in UNSET_MEANS:
            found[variable.name] = variable
    return list(found.values())


def _default(call: ast.Call, source: str) -> str:
    if call.func.id in UNSET_MEANS:
        return UNSET_MEANS[call.func.id]
    node = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "default":
            node = keyword.value
    if node is None:
        return "(empty)"
    try:
        value = _constant(node)
    except ValueError:
        return f"`{ast.get_source_segment(source, node)}`"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and len(value) > LONGEST_LIST_SHOWN:
        return f"the {len(value)} listed in settings.py"
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value) or "(empty)"
    if value == "":
        return "(empty)"
    return f"`{value}`"


def _constant(node: ast.expr):
    """Literals and arithmetic on them (``15 * 60``); anything naming a variable is refused."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_constant(item) for item in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):
        left, right = _constant(node.left), _constant(node.right)
        if isinstance(left, int) and isinstance(right, int):
            return left * right if isinstance(node.op, ast.Mult) else left + right
    raise ValueError("not a constant")


def documented_rows(document: str) -> dict[str, list[str]]:
    """The table's rows as {name: [kind, default, description]}."""
    rows = {}
    for line in _table(document).splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def _table(document: str) -> str:
    match = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), document, re.DOTALL)
    if match is None:
        raise ValueError(f"docs/operations.md has no {START} … {END} block")
    return match.group(1)


def render_table(variables: list[Variable], descriptions: dict[str, str]) -> str:
    lines = [HEADER]
    for variable in variables:
        description = descriptions.get(variable.name, "")
        lines.append(
            f"| `{variable.name}` | {variable.kind} | {variable.default} | {description} |"
        )
    return "\n".join(lines)


def regenerate(document: str, variables: list[Variable]) -> str:
    descriptions = {name: cells[-1] for name, cells in documented_rows(document).items()}
    table = render_table(variables, descriptions)
    return document.replace(_table(document), table, 1)


if __name__ == "__main__":
    OPERATIONS.write_text(
        regenerate(OPERATIONS.read_text(encoding="utf-8"), settings_variables()), encoding="utf-8"
    )
    sys.stdout.write(f"{OPERATIONS.relative_to(ROOT)}: settings table regenerated\n")
