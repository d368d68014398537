"""The app chain of docs/architecture.md, enforced: an app imports only from the apps on its left,
except in the composition root, which brings every app together."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]

# The project's apps, left to right: each may import from those before it, never from those after.
# A new app takes its place here, in one line.
CHAIN = [
    "assembly",
    "commons_registry",
    "workshops",
    "chantiers",
    "decisions",
    "charter",
    "budget",
    "federation",
]

# The modules that may import from any app (docs/architecture.md, "The composition root").
COMPOSITION_ROOT = {
    "assembly/announcement.py",  # the assembly's announcement gathers every app's news
    "assembly/urls.py",  # every app's URLs under their addresses
    "assembly/views.py",  # home, /me/ and /people/ gather every app's public functions
    "assembly/waiting.py",  # "waiting for you" on home and /me/ asks decisions and workshops
    "assembly/management/commands/seed_demo.py",  # runs each app's demo seeder, in chain order
}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every absolute import, at the top of the module or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return sorted(found)


def imports_against_the_chain(app: str, name: str, source: str) -> list[str]:
    """One line per import in `source` (the module `name` of `app`) from an app on its right."""
    on_the_right = CHAIN[CHAIN.index(app) + 1 :]
    return [
        f"{name}:{line}: {app} imports {module}"
        for line, module in imported_modules(source)
        if module.split(".")[0] in on_the_right
    ]


def test_every_project_app_has_its_place_in_the_chain():
    # Our apps are the top-level folders of the repository (the virtualenv may live there too).
    ours = [config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]

    assert ours == CHAIN, "add the new app to CHAIN, in the order of INSTALLED_APPS"


def test_composition_root_lists_only_modules_that_exist():
    assert sorted(name for name in COMPOSITION_ROOT if not (ROOT / name).is_file()) == []


def test_composition_root_is_the_one_documented():
    documented = (ROOT / "docs" / "architecture.md").read_text()

    assert sorted(name for name in COMPOSITION_ROOT if f"`{name}`" not in documented) == []


def test_the_documented_drawing_is_the_chain():
    documented = (ROOT / "docs" / "architecture.md").read_text()
    drawing = next(line for line in documented.splitlines() if "◄──" in line)

    assert [name.strip() for name in drawing.split("◄──")] == CHAIN


def test_no_app_imports_from_an_app_on_its_right():
    problems = [
        problem
        for app in CHAIN
        for path in sorted((ROOT / app).rglob("*.py"))
        if (name := path.relative_to(ROOT).as_posix()) not in COMPOSITION_ROOT
        for problem in imports_against_the_chain(app, name, path.read_text())
    ]

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "modules"),
    [
        ("import charter.models", ["charter.models"]),
        ("from decisions import services", ["decisions"]),
        ("def f():\n    from workshops.models import Meeting\n", ["workshops.models"]),
        ("from . import services\nfrom .models import Decision", []),
        ("import os, decisions.effects", ["decisions.effects", "os"]),
    ],
)
def test_imports_are_found_wherever_they_are(source, modules):
    assert sorted(module for _, module in imported_modules(source)) == modules


def test_an_import_against_the_chain_names_file_line_and_module():
    source = "import os\nfrom assembly.models import User\n\nfrom charter import services\n"

    assert imports_against_the_chain("workshops", "workshops/tasks.py", source) == [
        "workshops/tasks.py:4: workshops imports charter"
    ]
