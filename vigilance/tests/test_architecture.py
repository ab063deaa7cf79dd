"""The shape of the code base, checked on every run: imports only go down, no two modules
import each other (directly or round a loop), and no module grows past what a person reads.

docs/architecture.md draws the same picture in words. Tests and migrations are left out of
the import rules: a test may build data of any app, a migration is generated.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app may import the apps listed here, and itself; nothing else of the project.
ALLOWED = {
    "accounts": set(),
    "neighbourhoods": {"accounts"},
    "alerts": {"neighbourhoods", "accounts"},
    "shop": {"neighbourhoods", "accounts"},
    "vigilance": {"shop", "alerts", "neighbourhoods", "accounts"},
}
PROJECT_APPS = set(ALLOWED)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_checked(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" not in parts and "migrations" not in parts


def project_files(*, checked_only=True) -> list[Path]:
    files = [path for app in sorted(PROJECT_APPS) for path in (ROOT / app).rglob("*.py")]
    return [path for path in files if is_checked(path) or not checked_only]


def imports_of(path: Path, source: str | None = None) -> set[str]:
    """Every module the file imports, at the top or inside a function, relative ones resolved."""
    tree = ast.parse(source if source is not None else path.read_text(), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            # `from package import module` imports that module.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def known_modules() -> set[str]:
    return {module_name(path) for path in project_files()}


def arrows_against_the_direction(files: list[Path], sources: dict[Path, str] | None = None) -> list[str]:
    wrong = []
    for path in files:
        app = module_name(path).split(".")[0]
        source = (sources or {}).get(path)
        for imported in sorted(imports_of(path, source)):
            target = imported.split(".")[0]
            if target in PROJECT_APPS and target != app and target not in ALLOWED[app]:
                wrong.append(f"{module_name(path)} imports {imported}")
    return wrong


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), and self-imports."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def module_graph() -> dict[str, set[str]]:
    modules = known_modules()
    return {
        module_name(path): {m for m in imports_of(path) if m in modules and m != module_name(path)}
        for path in project_files()
    }


def test_imports_only_go_down():
    assert arrows_against_the_direction(project_files()) == []


def test_no_two_modules_import_each_other_even_round_a_loop():
    assert import_cycles(module_graph()) == []


def test_no_module_is_longer_than_a_person_reads():
    files = project_files(checked_only=False) + list((ROOT / "benchmarks").glob("*.py"))
    long = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


# The checks themselves: each would catch what it is there to catch.


def test_the_direction_check_catches_an_upward_import_even_inside_a_function():
    accounts_module = ROOT / "accounts" / "services.py"
    source = "def f():\n    from alerts.models import Alert\n"

    assert arrows_against_the_direction([accounts_module], {accounts_module: source}) == [
        "accounts.services imports alerts.models",
        "accounts.services imports alerts.models.Alert",
    ]


@pytest.mark.parametrize(
    "where, source, imported",
    [
        ("alerts/example.py", "from . import tasks\n", "alerts.tasks"),
        ("alerts/example.py", "from .channels.base import ChannelError\n", "alerts.channels.base"),
        ("alerts/services/example.py", "from ..models import Alert\n", "alerts.models"),
        ("alerts/channels/__init__.py", "from .sms import SmsChannel\n", "alerts.channels.sms"),
    ],
)
def test_relative_imports_are_resolved(where, source, imported):
    assert imported in imports_of(ROOT / where, source)


def test_the_cycle_check_finds_a_loop_of_three_and_ignores_a_chain():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_every_app_is_walked():
    walked = {module_name(path).split(".")[0] for path in project_files()}

    assert walked == PROJECT_APPS
    assert "alerts.tasks" in known_modules()
