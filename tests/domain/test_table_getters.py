"""Table models never reach a service from a column getter: rows carry what they show, fetched
once when the list loads. This reads every table model's (and RecordTable's) column list in ccc_desktop/ui and
follows each getter (a lambda, a method or a function of the module, and what those call in the
same module) looking for the context, a service, the session or the database."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ccc_desktop" / "ui"
FORBIDDEN_NAMES = {"ctx", "services", "session", "db"}
FORBIDDEN_CALLS = {"family_label", "family_labels", "_family_text", "build_services"}


def _defs(tree: ast.Module) -> dict[str, list[ast.FunctionDef]]:
    out: dict[str, list[ast.FunctionDef]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            out.setdefault(node.name, []).append(node)
    return out


def _reaches(node: ast.AST, defs: dict[str, list[ast.FunctionDef]], seen: set[str]) -> str | None:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in FORBIDDEN_NAMES:
            return f".{sub.attr} (line {sub.lineno})"
        if isinstance(sub, ast.Name) and sub.id in FORBIDDEN_NAMES:
            return f"{sub.id} (line {sub.lineno})"
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == "self" else None)
            if name in FORBIDDEN_CALLS:
                return f"{name}() (line {sub.lineno})"
            if name and name in defs and name not in seen:
                seen.add(name)
                for d in defs[name]:
                    found = _reaches(d, defs, seen)
                    if found:
                        return f"{name}() -> {found}"
    return None


def _getter_problem(getter: ast.expr, defs: dict[str, list[ast.FunctionDef]]) -> str | None:
    if isinstance(getter, ast.Lambda):
        return _reaches(getter.body, defs, set())
    name = getter.id if isinstance(getter, ast.Name) else (
        getter.attr if isinstance(getter, ast.Attribute) else None)
    if name is None or name not in defs:
        return None
    for d in defs[name]:
        found = _reaches(d, defs, {name})
        if found:
            return f"{name} -> {found}"
    return None


def _column_lists(tree: ast.Module):  # type: ignore[no-untyped-def]
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.List)):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if not (name.endswith("Model") or name == "RecordTable"):  # a model, or the panel's own
            continue
        columns = [e for e in node.args[0].elts if isinstance(e, ast.Tuple) and len(e.elts) == 2
                   and isinstance(e.elts[0], ast.Constant) and isinstance(e.elts[0].value, str)]
        if columns:
            yield node, columns


def test_no_column_getter_calls_a_service() -> None:
    problems = []
    models = 0
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = _defs(tree)
        for call, columns in _column_lists(tree):
            models += 1
            for column in columns:
                title = column.elts[0].value  # type: ignore[attr-defined]
                found = _getter_problem(column.elts[1], defs)
                if found:
                    problems.append(f"{path.relative_to(UI)}:{call.lineno} column {title!r}: {found}")
    assert models >= 15, f"found only {models} table models: has the way they are made changed?"
    assert not problems, "column getters that reach a service:\n" + "\n".join(problems)


def test_the_check_catches_a_getter_that_calls_a_service() -> None:
    tree = ast.parse(
        "class P:\n"
        "    def __init__(self, ctx):\n"
        "        self.model = RecordTableModel([('Ref', self._ref), ('Name', lambda r: r.name)])\n"
        "    def _ref(self, r):\n"
        "        return label(self, r)\n"
        "def label(panel, r):\n"
        "    return panel.ctx.services.families.reference(r.id)\n")
    defs = _defs(tree)
    [(_call, columns)] = list(_column_lists(tree))
    assert _getter_problem(columns[0].elts[1], defs) is not None
    assert _getter_problem(columns[1].elts[1], defs) is None
