"""The rules of the code's shape, read from the source with ``ast`` (nothing is imported).

Each rule takes the modules as ``{dotted name: source text}`` and returns its offences, so a
test can feed it the real tree (``package_sources``) or a bad snippet to show that it bites.
Imports count wherever they are written, inside functions too; only ``if TYPE_CHECKING:``
blocks are left out of the cycle rule (they never run).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Sources = dict[str, str]  # dotted module name (a package: its own name) -> source text


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it names: a module, or module.attribute for "from m import a"
    line: int
    type_checking: bool  # written under "if TYPE_CHECKING:"


def package_sources(root: Path, package: str = "ccc_desktop") -> Sources:
    out: Sources = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path.read_text("utf-8")
    return out


def _is_package(name: str, sources: Sources) -> bool:
    return any(other.startswith(name + ".") for other in sources)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skip.update(id(n) for n in ast.walk(child))
    return skip


def imports(sources: Sources) -> Iterator[Import]:
    for name, text in sources.items():
        tree = ast.parse(text)
        guarded = _type_checking_nodes(tree)
        package = name if _is_package(name, sources) else name.rpartition(".")[0]
        for node in ast.walk(tree):
            tc = id(node) in guarded
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(name, alias.name, node.lineno, tc)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                yield Import(name, mod, node.lineno, tc)
                for alias in node.names:
                    yield Import(name, f"{mod}.{alias.name}", node.lineno, tc)


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _offences(sources: Sources, importer: str, banned: tuple[str, ...]) -> list[str]:
    return sorted({f"{i.module}:{i.line} imports {i.target}" for i in imports(sources)
                   if _under(i.module, importer) and any(_under(i.target, b) for b in banned)})


# ---- the rules ---------------------------------------------------------------------------------
def qt_in_the_domain(sources: Sources) -> list[str]:
    """models/, documents/ and the demo builder never import Qt."""
    qt = ("PySide6", "shiboken6")
    return [o for area in ("ccc_desktop.models", "ccc_desktop.documents", "ccc_desktop.demo")
            for o in _offences(sources, area, qt)]


def ui_imports_storage(sources: Sources) -> list[str]:
    """ui/ never reaches the storage layer or the database driver."""
    return _offences(sources, "ccc_desktop.ui",
                     ("ccc_desktop.models.storage", "sqlcipher3", "sqlite3"))


def documents_import_services(sources: Sources) -> list[str]:
    """documents/ are drawn from records; they never import a service."""
    return _offences(sources, "ccc_desktop.documents", ("ccc_desktop.models.services",))


def vault_imports_services(sources: Sources) -> list[str]:
    """The vault sits below the services: nothing it imports, directly or not, is a service."""
    graph = import_graph(sources)
    seen, todo = set(), ["ccc_desktop.models.vault"]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(graph.get(m, ()))
    return sorted(m for m in seen if _under(m, "ccc_desktop.models.services"))


def import_graph(sources: Sources) -> dict[str, set[str]]:
    """Module -> the modules it imports when run (functions included, TYPE_CHECKING not)."""
    graph: dict[str, set[str]] = {m: set() for m in sources}
    for i in imports(sources):
        if not i.type_checking and i.target in sources and i.target != i.module:
            graph[i.module].add(i.target)
    return graph


def import_cycles(sources: Sources) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected, more than one module)."""
    graph = import_graph(sources)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups)


SQL = re.compile(
    r"\b(SELECT\b[\s\S]+?\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TEMP\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)"
    r"|ALTER\s+TABLE|PRAGMA\s+\w+\s*(=|\(|;|$)|ATTACH\s+DATABASE)", re.M)
SQL_CALLS = ("execute", "executemany", "executescript")
SQL_HOMES = ("ccc_desktop.models.storage", "ccc_desktop.bench")  # the benchmark builds raw files


def _strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):  # an f-string: its text with the holes blanked
            text = "".join(v.value if isinstance(v, ast.Constant) else " x "
                           for v in node.values)
            yield node.lineno, text


def sql_outside_storage(sources: Sources) -> list[str]:
    """SQL text (any string: quoted, triple-quoted, f-string) and the driver's execute,
    executemany and executescript appear only in models/storage."""
    out = []
    for name, text in sources.items():
        if any(_under(name, home) for home in SQL_HOMES):
            continue
        tree = ast.parse(text)
        for line, s in _strings(tree):
            if SQL.search(s):
                out.append(f"{name}:{line} SQL text {s.strip()[:40]!r}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS):
                out.append(f"{name}:{node.lineno} calls .{node.func.attr}()")
    return sorted(set(out))


# Importing a module only defines things; the one effect allowed at import is setting Qt's
# platform before Qt is imported (the benchmark's window script).
IMPORT_EFFECTS_ALLOWED = frozenset({"os.environ.setdefault"})


def _guard(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if __name__ == "__main__":``: not run, or not on import."""
    name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
    return name == "TYPE_CHECKING" or (
        isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
        and test.left.id == "__name__")


def module_level_registration(sources: Sources) -> list[str]:
    """Nothing is registered by importing a module: a module's top level holds imports,
    definitions and assignments of new names only. A bare call (``register_kind(...)``,
    ``SHOTS.append(...)``), a loop, a ``with``, an ``if`` (other than ``TYPE_CHECKING`` or
    ``__main__``) or a write into something already made (``KINDS[k] = v``, ``SHOTS += [...]``,
    ``module.x = v``) runs for its effect when imported: what it fills is then only complete
    when every module that adds to it happened to be imported. Lists of areas, kinds and
    shots are written out where they are used (``registry.AREAS``)."""
    out = []
    for name, text in sources.items():
        for node in ast.parse(text).body:
            what = ""
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                if ast.unparse(node.value.func) not in IMPORT_EFFECTS_ALLOWED:
                    what = f"calls {ast.unparse(node.value.func)}()"
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith,
                                   ast.Try)):
                what = f"runs a {type(node).__name__.lower()} statement"
            elif isinstance(node, ast.If) and not _guard(node.test):
                what = "runs an if statement"
            elif isinstance(node, ast.AugAssign):
                what = f"adds to {ast.unparse(node.target)}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, (ast.Subscript, ast.Attribute)):
                        what = f"writes into {ast.unparse(t)}"
            if what:
                out.append(f"{name}:{node.lineno} {what} at import")
    return sorted(out)
