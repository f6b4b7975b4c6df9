"""Tooling stays out of the domain: the demo region and the scale data import the domain
apps, never the other way round (conventions 26), so that leaving them out of a deployment
or changing them can never change what the product does."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

PACKAGE = Path(__file__).resolve().parents[1]
TOOLING = {"demo", "scale"}
# A dotted path handed to import_string or a registry names the module as surely as an import.
TOOLING_PATH = re.compile(r"egenmakt\.(demo|scale)(\.\w+)*")


def _domain_apps() -> list[Path]:
    """Every package of the project that is not tooling: a new app is covered unasked."""
    return sorted(
        path
        for path in PACKAGE.iterdir()
        if (path / "__init__.py").exists() and path.name not in TOOLING | {"tests"}
    )


def _product_modules(app: Path) -> list[Path]:
    # The apps' own tests may use the demo cast and the scale data; their code may not.
    return sorted(path for path in app.rglob("*.py") if "tests" not in path.parts)


def _package_of(path: Path) -> list[str]:
    """The dotted package a module's relative imports start from."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1]


def _imported_modules(source: str, package: list[str]) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the module imports, relative imports resolved
    against the module's own package, and (line, text) of every string in it."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # ``from egenmakt import demo`` imports the package through its parent.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def _tooling_imports(path: Path, source: str) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for line, name in _imported_modules(source, _package_of(path))
        if TOOLING_PATH.fullmatch(name)
    ]


def test_no_domain_app_imports_the_demo_or_the_scale_tooling():
    apps = _domain_apps()
    names = {app.name for app in apps}
    # The walk must see the domain, or it would pass by finding nothing to read.
    assert {"accounts", "audit", "coordination", "peer", "portal", "core"} <= names
    modules = [path for app in apps for path in _product_modules(app)]
    assert [found for path in modules for found in _tooling_imports(path, path.read_text())] == []


@pytest.mark.parametrize(
    "source",
    [
        "from egenmakt.demo.cast import Cast\n",
        "import egenmakt.scale.context\n",
        "from egenmakt import demo\n",
        "from ...scale import registry\n",
        "def f():\n    from egenmakt.demo import peer\n",
        'GENERATOR = "egenmakt.scale.peer.generate"\n',
    ],
)
def test_the_layout_check_sees_every_way_of_importing_tooling(source):
    # As if in egenmakt/peer/management/probe.py: ``...scale`` climbs to egenmakt.scale.
    module = PACKAGE / "peer" / "management" / "probe.py"
    assert _tooling_imports(module, source) != []


def test_the_layout_check_lets_the_domain_import_the_domain():
    module = PACKAGE / "peer" / "management" / "probe.py"
    source = (
        "from ..models import Cohort\n"
        "from egenmakt.accounts.roles import Role\n"
        "import egenmakt.scaled\n"
        '"""Seeded by egenmakt.demo.peer, see there."""\n'
    )
    assert _tooling_imports(module, source) == []


def test_demo_and_scale_tooling_live_only_in_their_own_apps():
    stray = [
        str(path.relative_to(PACKAGE.parent))
        for app in _domain_apps()
        for path in (app / "demo.py", app / "scale.py")
        if path.exists()
    ]
    assert stray == []
    commands = get_commands()
    assert commands["seed_demo"] == "egenmakt.demo"
    assert commands["generate_scale"] == "egenmakt.scale"
    assert commands["bench_logins"] == "egenmakt.scale"
    assert commands["compile_translations"] == "egenmakt.core"


def _app_imports() -> dict[str, set[str]]:
    """Which domain app imports which, from run-time imports only (a ``TYPE_CHECKING``
    block costs nothing when the code runs and is left out)."""
    names = {app.name for app in _domain_apps()}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for app in _domain_apps():
        for path in _product_modules(app):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            typing_only = {
                id(inner)
                for node in ast.walk(tree)
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                for child in node.body
                for inner in ast.walk(child)
            }
            package = _package_of(path)
            for node in ast.walk(tree):
                if id(node) in typing_only or not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                for _line, name in _imported_modules(ast.unparse(node), package):
                    parts = name.split(".")
                    if parts[0] == "egenmakt" and len(parts) > 1 and parts[1] in names - {app.name}:
                        graph[app.name].add(parts[1])
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_the_only_import_cycle_between_apps_is_the_kernel_of_accounts_and_audit():
    """docs/architecture.md names the one pair of apps that import each other and why; a new
    cycle needs the same reasoning there first. ``core`` imports no app at all."""
    graph = _app_imports()
    assert graph["peer"] and graph["coordination"], "the walk must see the imports"
    in_a_cycle = {app for app in graph if app in _reachable(graph, app)}
    assert in_a_cycle == {"accounts", "audit"}
    assert graph["core"] == set()


def test_a_table_frame_that_scrolls_can_be_reached_by_keyboard():
    """A wide table scrolls within its frame on a phone; the frame takes the keyboard's
    focus so the arrow keys scroll it (axe-core's scrollable-region-focusable, WCAG 2.1.1)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    frames = []
    for template in root.rglob("templates/**/*.html"):
        for tag in re.findall(r"<div[^>]*class=\"table-wrap\"[^>]*>", template.read_text()):
            frames.append((template.relative_to(root), tag))
    assert frames
    assert [f for f in frames if 'tabindex="0"' not in f[1]] == []
