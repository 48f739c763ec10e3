"""What `pip install .` brings is what propscope imports: every top-level module imported anywhere in
propscope/ is the standard library's, propscope's own, or comes from a distribution named in pyproject.toml:
in the base dependencies, or in an extra when every import of it is guarded (under `except ImportError`, which
turns a missing package into one line naming the extra, or in a module only imported so). A package that
arrives today only as another's dependency (markupsafe through jinja2, httpcore through httpx) breaks the
day that dependency drops it, as lxml did with lxml.html.clean."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "propscope"


@dataclass(frozen=True)
class Import:
    module: str  # the top-level module ("lxml" of "lxml.html")
    full: str  # the whole dotted name
    where: str  # file:line
    guarded: bool  # under a try whose handlers catch ImportError


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): "psycopg[binary]>=3.1" -> "psycopg"."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def declared() -> tuple[set[str], dict[str, set[str]]]:
    """The base dependencies and each extra's, as normalised distribution names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {_name(r) for r in project["dependencies"]}
    extras = {extra: {_name(r) for r in reqs} for extra, reqs in project.get("optional-dependencies", {}).items()}
    return base, extras


def _catches_import_error(node: ast.Try) -> bool:
    names = set()
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names.update(k.id for k in kinds if isinstance(k, ast.Name))
    return bool(names & {"ImportError", "ModuleNotFoundError"})


def imports(path: Path) -> Iterator[Import]:
    """Every absolute import in a file, with whether a try/except ImportError encloses it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def visit(node: ast.AST, guarded: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            # only the try's body is guarded, not its handlers, else or finally
            inner = guarded or (isinstance(node, ast.Try) and _catches_import_error(node) and child in node.body)
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                where = f"{path.relative_to(ROOT)}:{child.lineno}"
                yield Import(name.split(".")[0], name, where, inner)
            yield from visit(child, inner)

    yield from visit(tree, False)


def all_imports() -> list[Import]:
    return [found for path in sorted(PACKAGE.rglob("*.py")) for found in imports(path)]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def by_module(found: list[Import]) -> dict[str, str]:
    """Each import's where (file:line) -> the propscope module it is in."""
    files = {str(p.relative_to(ROOT)): module_name(p) for p in PACKAGE.rglob("*.py")}
    return {i.where: files[i.where.rsplit(":", 1)[0]] for i in found}


def only_guarded_modules(found: list[Import]) -> set[str]:
    """propscope's modules that are only ever imported under `except ImportError` (train/techniques.py), or
    only from such modules: their own imports are as guarded as that import is."""
    owner = by_module(found)
    modules = set(owner.values())
    guarded: set[str] = set()
    changed = True
    while changed:
        changed = False
        for module in modules - guarded:
            importers = [i for i in found if i.full == module]
            if importers and all(i.guarded or owner[i.where] in guarded for i in importers):
                guarded.add(module)
                changed = True
    return guarded


@functools.cache
def _providers() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


def distributions_of(module: str) -> set[str]:
    """The distributions installed here that provide a top-level module, normalised."""
    return {_name(d) for d in _providers().get(module, [])}


def undeclared() -> list[str]:
    """One line per import that `pip install .` (or the extra it names) would not bring, or that would fail
    with a traceback where the extra is not installed."""
    base, extras = declared()
    in_extras = set().union(*extras.values())
    found = all_imports()
    guarded_modules = only_guarded_modules(found)
    owner = by_module(found)
    problems = []
    for item in found:
        if item.module in sys.stdlib_module_names or item.module == "propscope" or item.module == "__future__":
            continue
        dists = distributions_of(item.module)
        optional = item.guarded or owner[item.where] in guarded_modules
        if not dists and optional and _name(item.module) in in_extras:
            continue  # an extra's package this environment lacks (torch, for the encoder's training)
        if not dists:
            problems.append(f"{item.where}: {item.full} is installed by no distribution here")
        elif dists & base:
            continue
        elif not dists & in_extras:
            problems.append(f"{item.where}: {item.full} comes from {sorted(dists)}, declared nowhere in pyproject.toml")
        elif not optional:
            problems.append(f"{item.where}: {item.full} is only in an extra, yet imported unguarded (a traceback)")
    return problems


def test_every_import_comes_from_a_declared_distribution() -> None:
    problems = undeclared()
    assert not problems, "\n".join(problems)


def test_the_html_cleaner_trafilatura_imports_is_a_base_dependency() -> None:
    """trafilatura imports lxml.html.clean; lxml 5.2+ only forwards it to lxml_html_clean, which a plain
    `pip install .` brings only if propscope names it (lxml 6 has no html_clean extra left to pull it in)."""
    import lxml.html.clean  # noqa: F401 - what trafilatura needs to import

    providers = distributions_of("lxml_html_clean")
    if not providers:
        pytest.skip("this lxml still ships lxml.html.clean itself")
    base, _ = declared()
    assert providers & base, "lxml_html_clean is not among pyproject.toml's base dependencies"


def test_the_scan_sees_what_it_must() -> None:
    """The checks above are only as good as the scan: it must see a guarded optional import, an unguarded
    base one, and the module reached only through a guarded import."""
    found = all_imports()
    assert any(i.module == "psycopg" and i.guarded for i in found)
    assert any(i.module == "markupsafe" and not i.guarded for i in found)
    assert "propscope.train.techniques" in only_guarded_modules(found)
    assert "propscope.train.encoder" in only_guarded_modules(found)
    base, extras = declared()
    assert "fastapi" in base and "scikit-learn" in extras["train"]
