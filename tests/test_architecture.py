"""The app chain of docs/architecture.md, enforced: an app imports only from the apps on its left,
except in the composition root, which brings every app together."""

import ast
import re
from pathlib import Path

from django.apps import apps

from assembly.tasking import registered_task

ROOT = Path(__file__).resolve().parents[1]

# The project's apps, left to right: each may import from those before it, never from those after.
# A new app takes its place here, in one line. `portal`, the composition root, is last.
CHAIN = [
    "assembly",
    "commons_registry",
    "workshops",
    "chantiers",
    "decisions",
    "charter",
    "budget",
    "federation",
    "gatherings",
    "portal",
]

# The packages that may import from any app (docs/architecture.md, "The composition root"):
# the project package and the portal. Nothing else is an exception.
COMPOSITION_ROOT = {"config", "portal"}

PROJECT_PACKAGES = [*CHAIN, "config"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {
        module_name(path): path
        for package in PROJECT_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module):
    """The import statements Python runs when the module is loaded: at module level, in class
    bodies, under `if`/`try`/`with`, but not inside functions nor under `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
        else:
            pending.extend(
                child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)
            )


def loaded_by(module: str, source: str, known: set[str], is_package: bool) -> set[str]:
    """The project modules that Python loads when it runs `module`'s top-level imports: each
    imported module and every package above it (their `__init__`), and `from x import y` loads
    `x.y` when y is a submodule."""
    loaded: set[str] = set()

    def load(name: str) -> None:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in known:
                loaded.add(prefix)

    for node in _top_level_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                load(alias.name)
        else:
            target = _absolute(module, node, is_package)
            load(target)
            for alias in node.names:
                load(f"{target}.{alias.name}")
    # Loading a module loads the packages above it first.
    load(module)
    loaded.discard(module)
    return loaded


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {
        name: loaded_by(name, path.read_text(), known, path.name == "__init__.py")
        for name, path in modules.items()
    }


def path_to_the_right(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """The shortest chain of imports from `start` to a module of an app on the right of its own
    app (or of the composition root), or None. Breadth first, so the chain shown is the shortest."""
    app = start.split(".")[0]
    forbidden = set(CHAIN[CHAIN.index(app) + 1 :]) | COMPOSITION_ROOT
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        current = queue.pop(0)
        if current.split(".")[0] in forbidden:
            chain = [current]
            while previous[chain[-1]] is not None:
                chain.append(previous[chain[-1]])
            return chain[::-1]
        for following in sorted(graph.get(current, ())):
            if following not in previous:
                previous[following] = current
                queue.append(following)
    return None


def test_every_project_app_has_its_place_in_the_chain():
    # Our apps are the top-level folders of the repository (the virtualenv may live there too).
    ours = [config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]

    assert ours == CHAIN, "add the new app to CHAIN, in the order of INSTALLED_APPS"


def test_composition_root_is_the_one_documented():
    documented = (ROOT / "docs" / "architecture.md").read_text()

    assert sorted(name for name in COMPOSITION_ROOT if f"`{name}/`" not in documented) == []


def test_the_documented_drawing_is_the_chain():
    documented = (ROOT / "docs" / "architecture.md").read_text()
    drawing = next(line for line in documented.splitlines() if "◄──" in line)

    assert [name.strip() for name in drawing.split("◄──")] == CHAIN


def test_no_module_pulls_in_an_app_on_its_right_at_import_time():
    graph = import_graph()

    problems = [
        " -> ".join(chain)
        for name in sorted(graph)
        if name.split(".")[0] not in COMPOSITION_ROOT
        if (chain := path_to_the_right(graph, name)) is not None
    ]

    assert problems == [], "\n".join(problems)


def test_imports_inside_functions_name_the_cycle_they_avoid():
    # An import inside a function escapes the check above, so each must say why it is there:
    # `
    problems = []
    for name, path in project_modules().items():
        if path.name == "apps.py" or "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    line = lines[inner.lineno - 1]
                    if "cycle" not in line.split("#", 1)[-1] or "#" not in line:
                        problems.append(f"{name}:{inner.lineno}")

    assert problems == []


def test_a_module_loads_what_it_imports_and_the_packages_above():
    known = {"workshops", "workshops.services", "assembly", "assembly.tasks", "decisions.models"}

    loaded = loaded_by(
        "workshops.services",
        "from assembly.tasks import x\nfrom . import models\n"
        "def f():\n    import decisions.models\n",
        known,
        is_package=False,
    )

    assert loaded == {"workshops", "assembly", "assembly.tasks"}


def test_type_checking_imports_load_nothing():
    known = {"decisions", "decisions.models"}
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from decisions import models\n"
    )

    assert loaded_by("workshops.services", source, known, is_package=False) == set()


def test_a_chain_through_the_foot_is_found_with_each_step():
    graph = {
        "workshops.services": {"assembly.tasks"},
        "assembly.tasks": {"assembly.announcement"},
        "assembly.announcement": {"decisions.services"},
        "decisions.services": set(),
    }

    assert path_to_the_right(graph, "workshops.services") == [
        "workshops.services",
        "assembly.tasks",
        "assembly.announcement",
        "decisions.services",
    ]
    assert path_to_the_right(graph, "decisions.services") is None


def test_every_task_enqueued_by_name_is_registered():
    pattern = re.compile(r"enqueue_on_commit\(\s*\"([^\"]+)\"")
    used = {
        found for path in project_modules().values() for found in pattern.findall(path.read_text())
    }

    assert used, "services enqueue their tasks by name"
    unknown = []
    for name in sorted(used):
        try:
            registered_task(name)
        except KeyError:
            unknown.append(name)
    assert unknown == []


TRANSLATING = {"gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy", "gettext_noop", "_"}


def test_no_message_to_translate_is_hidden_in_an_f_string():
    """makemessages (xgettext) does not look inside an f-string's braces: a `gettext("…")` there
    drops out of the catalogues at the next extraction, and the French page shows English. Rows
    written in Python (issue 24) translate their words first, then place them."""
    hidden = []
    for name, path in project_modules().items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                function = getattr(inner, "func", None)
                called = getattr(function, "id", None) or getattr(function, "attr", None)
                if isinstance(inner, ast.Call) and called in TRANSLATING:
                    hidden.append(f"{name}:{inner.lineno} {called}()")
    assert not hidden, hidden
