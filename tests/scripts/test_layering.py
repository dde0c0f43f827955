"""The layering checks of `make lint`, run on throw-away trees so that each rule is seen to bite."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scripts import import_cycles

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def write(root: Path, files: dict[str, str]) -> Path:
    for name in ("brandprogram", "sellers", "reviews"):
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "__init__.py").touch()
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(text))
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


def contracts(root: Path) -> subprocess.CompletedProcess:
    """The repository's own contracts (its pyproject.toml) on the tree under ``root``."""
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return lint_imports(root)


def test_the_repository_keeps_its_contracts_and_has_no_cycles():
    result = lint_imports(REPO)

    assert result.returncode == 0, result.stdout
    assert import_cycles.check(REPO) == []


def test_reviews_may_import_sellers(tmp_path):
    write(
        tmp_path, {"reviews/queues.py": "from sellers import workflow\n", "sellers/workflow.py": ""}
    )

    assert contracts(tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("module", "text", "broken"),
    [
        (
            "sellers/services.py",
            "from reviews import queues\n",
            "sellers is not allowed to import reviews",
        ),
        ("sellers/api/base.py", "def f():\n    import reviews.queues\n", "sellers is not allowed"),
        ("brandprogram/urls.py", "from sellers import views\n", "brandprogram is not allowed"),
        ("brandprogram/problems.py", "import reviews.queues\n", "brandprogram is not allowed"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, text, broken):
    write(tmp_path, {module: text, "reviews/queues.py": "", "sellers/views.py": ""})

    result = contracts(tmp_path)

    assert result.returncode == 1
    assert broken in result.stdout


def test_a_cycle_at_module_load_is_named(tmp_path):
    write(
        tmp_path,
        {
            "reviews/screening.py": "from reviews import tasks\n",
            "reviews/tasks.py": "from reviews.recertification import run\n",
            "reviews/recertification.py": "from reviews.screening import start\n",
            "reviews/queues.py": "from reviews import screening\n",
        },
    )

    assert import_cycles.check(tmp_path) == [
        "import cycle at module load: "
        "reviews.recertification <-> reviews.screening <-> reviews.tasks"
    ]


def test_a_package_importing_its_own_modules_is_no_cycle(tmp_path):
    write(
        tmp_path,
        {
            "sellers/models/__init__.py": "from sellers.models.brand import Brand\n",
            "sellers/models/brand.py": "from sellers.models.company import Company\n",
            "sellers/models/company.py": "",
        },
    )

    assert import_cycles.check(tmp_path) == []


def test_imports_behind_type_checking_or_in_functions_are_not_load_time_edges(tmp_path):
    write(
        tmp_path,
        {
            "sellers/a.py": """\
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from sellers import b
            """,
            "sellers/b.py": """\
                def later():
                    # Imported here: a imports this module at load.
                    from sellers import a
            """,
        },
    )

    assert import_cycles.check(tmp_path) == []


def test_an_import_inside_a_function_needs_a_comment(tmp_path):
    root = write(
        tmp_path,
        {
            "sellers/tasks.py": """\
                def explained():
                    # Tasks are a leaf: services import the models at load.
                    from sellers import services
                    from sellers.models import Application


                def inline():
                    from sellers import services  # the worker loads this first


                def silent():
                    value = 1
                    from sellers import services
            """,
            "sellers/services.py": "",
            "sellers/models.py": "",
        },
    )

    assert import_cycles.check(root) == [
        f"{root / 'sellers' / 'tasks.py'}:13: import inside a function without a comment why"
    ]


def test_the_command_fails_on_a_problem_and_passes_without(tmp_path, capsys):
    clean = write(
        tmp_path / "clean", {"sellers/a.py": "from sellers import b\n", "sellers/b.py": ""}
    )
    broken = write(
        tmp_path / "broken",
        {"sellers/a.py": "from sellers import b\n", "sellers/b.py": "from sellers import a\n"},
    )

    assert import_cycles.main([str(clean)]) == 0
    assert import_cycles.main([str(broken)]) == 1
    assert "sellers.a <-> sellers.b" in capsys.readouterr().out
