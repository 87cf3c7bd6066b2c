"""Where every constant of the model comes from: one registry, read live from the code.

Scientific rule of the project: every constant has a source, of one of four kinds:

* ``measured``: a paper and the figure / table / section it is read from, and the
  rows of ``tests/data/calibration_points.csv`` that hold it (catalogue row ids);
* ``literature``: a citation;
* ``assumed``: the reason;
* ``fitted``: the catalogue row ids it was fitted on and the script (or commit) that
  fits it.

The sources live in ``provenance.toml`` beside this module (package data). A constant
is named by where it lives, never restated: ``"parameter_sets.components.SE_NETWORK_BRUGGEMAN_EXPONENT"``,
``"parameter_sets.materials.NCM711.particle_radius_m"``, a dict entry (a law constant
under its PyBaMM name) ``"parameter_sets.mechanics.SE_CONTACT[Composite framework modulus [Pa]]"``, a tuple
element ``"models.strain.NCM_STRAIN[NCM711][1]"`` or a dataclass default
``"models.contact_law.ContactLawParameters.yield_rate_s"``; :func:`value` reads it.

:func:`constants_in_code` finds the constants by itself (see its docstring), so a test
can require a source for each of them (``tests/unit/test_provenance.py``).
"""

from __future__ import annotations

import ast
import dataclasses
import graphlib
import importlib
import inspect
import numbers
import pkgutil
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

KINDS = ("measured", "literature", "assumed", "fitted")
#: Packages whose modules hold the model's constants.
PACKAGES = ("models", "parameter_sets")
DATA_FILE = Path(__file__).with_name("provenance.toml")

#: Names that are not model constants (a name, or a prefix ending in "." / "_"):
#: each is a numerical or input-checking device; the model's results do not depend on
#: it, or (size classes) it is a discretisation, like the mesh.
EXCLUDED = {
    # numerics of the numba kernel (vectorised exp, rounding trick, cache block size,
    # number of packed fields): the law's constants reach it as arguments
    "models.contact_kernel._": "numerics of the vectorised kernel",
    # ranges used to reject invalid inputs, not values the model uses
    "models.binder_coverage.BINDER_CONTENT_RANGE_WT_PCT": "input validation range",
    "models.binder_mechanics.PHYSICAL_RANGES": "input validation bounds",
    # units / scales of the solver's states (results are independent of them)
    "models.contact_law_sx.LENGTH_UNIT_M": "unit of the solver's length states",
    "models.contact_law_sx.STRAIN_UNIT": "unit of the solver's strain state",
    "models.contact_mechanics.AGGREGATES": "scales of algebraic variables",
    "models.contact_mechanics.STO_RATE_SCALE_S": "scale of an algebraic variable",
    "models.fixture.PRESSURE_SCALE_PA": "scale of an algebraic variable",
    "models.contact_mechanics.SIZE_CLASS_SI": "unit conversions of reported variables",
    # solver / discretisation switches
    "models.composite_cell.SCALAR_JACOBIAN_MAX_STATES": "Jacobian method switch",
    "models.contact_mechanics.DEFAULT_SIZE_CLASSES": "quadrature size classes (discretisation)",
}


@dataclass(frozen=True)
class Source:
    """Where a constant comes from (see the module docstring for the kinds)."""

    kind: str
    ref: str
    rows: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"source kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if isinstance(self.rows, str) or not all(isinstance(r, str) for r in self.rows):
            raise ValueError(f"rows must be a sequence of row ids, got {self.rows!r}")
        object.__setattr__(self, "rows", tuple(self.rows))
        if not self.ref.strip():
            raise ValueError(f"a {self.kind} source needs a ref")
        if self.kind == "fitted" and not self.rows:
            raise ValueError(f"a fitted source needs the row ids it was fitted on: {self.ref!r}")


@dataclass(frozen=True)
class Constant:
    """A constant of the model: where it lives, its unit and its source."""

    name: str
    unit: str
    source: Source

    @property
    def value(self):
        return value(self.name)


# --- names -----------------------------------------------------------------------------


def _split(name: str) -> tuple[list[str], list[tuple[str, str]]]:
    """'a.b.C.f[k [x]][0]' -> (['a', 'b', 'C', 'f'], [('[', 'k [x]'), ('[', '0')])."""
    head, _, rest = name.partition("[")
    keys, rest = [], "[" + rest if rest else ""
    while rest:
        if not rest.startswith("["):
            raise ValueError(f"expected '[' or '.' at {rest!r} in {name!r}")
        depth = 0
        for i, ch in enumerate(rest):
            depth += {"[": 1, "]": -1}.get(ch, 0)
            if depth == 0:
                break
        else:
            raise ValueError(f"unbalanced brackets in {name!r}")
        keys.append(("[", rest[1:i]))
        rest = rest[i + 1:]
        if rest.startswith("."):  # a field after a key: ...[k].field
            attr, _, tail = rest[1:].partition("[")
            for a in attr.split("."):
                keys.append((".", a))
            rest = "[" + tail if tail else ""
    return head.split("."), keys


def value(name: str):
    """The live value of the constant ``name`` (a module attribute, a field or an entry)."""
    parts, keys = _split(name)
    for i in range(len(parts), 0, -1):  # the longest importable module prefix
        try:
            obj = importlib.import_module("ssbsim." + ".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        break
    else:
        raise KeyError(f"{name!r}: no such module")
    try:
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        for sep, key in keys:
            if sep == ".":
                obj = getattr(obj, key)
            elif isinstance(obj, (tuple, list)):
                obj = obj[int(key)]
            else:
                obj = obj[key]
    except (AttributeError, KeyError, IndexError, ValueError) as e:
        raise KeyError(f"{name!r} does not resolve: {e!r}") from e
    return obj


# --- registry -------------------------------------------------------------------------


def _load(text: str) -> dict[str, Constant]:
    """The registry from the TOML text of ``provenance.toml``."""
    data = tomllib.loads(text)
    shared = {key: Source(**s) for key, s in data.get("source", {}).items()}
    registry = {}
    for name, entry in data["constant"].items():
        entry = dict(entry)
        unit = entry.pop("unit")
        if "source" in entry:
            source = shared[entry.pop("source")]
        else:
            source = Source(entry.pop("kind"), entry.pop("ref"), tuple(entry.pop("rows", ())))
        if entry:
            raise ValueError(f"{name}: unknown keys {sorted(entry)} (values are never restated)")
        registry[name] = Constant(name, unit, source)
    return registry


REGISTRY: dict[str, Constant] = _load(DATA_FILE.read_text(encoding="utf-8"))


def fitted_rows() -> set[str]:
    """All catalogue row ids that some fitted constant was fitted on."""
    return {r for c in REGISTRY.values() if c.source.kind == "fitted" for r in c.source.rows}


def table() -> list[dict]:
    """One dict per constant (name, value, unit, kind, ref, rows), for reports."""
    return [
        {"name": c.name, "value": value(c.name), "unit": c.unit, "kind": c.source.kind,
         "ref": c.source.ref, "rows": list(c.source.rows)}
        for c in REGISTRY.values()
    ]


# --- discovery ------------------------------------------------------------------------


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and type(x).__name__ != "bool_"


def _same(a, b) -> bool:
    if a is b:
        return True
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return False


def _module_names() -> list[str]:
    """Modules of PACKAGES ("models", "models.strain", ...), those imported first."""
    names = []
    for pkg in PACKAGES:
        mod = importlib.import_module("ssbsim." + pkg)
        names.append(pkg)
        names += sorted(f"{pkg}.{m.name}" for m in pkgutil.iter_modules(mod.__path__))
    known = set(names)
    graph = graphlib.TopologicalSorter()
    for name in names:
        mod = importlib.import_module("ssbsim." + name)
        package = name if hasattr(mod, "__path__") else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(inspect.getsource(mod))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = ".".join(filter(None, [base, node.module or ""]))
            else:
                base = (node.module or "").removeprefix("ssbsim").lstrip(".")
            for alias in node.names:
                deps.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        graph.add(name, *sorted((deps & known) - {name}))
    return list(graph.static_order())


def _top_level_names(mod) -> list[str]:
    """UPPERCASE module attributes that the module does not import, in definition order
    (so one set later, e.g. by a test's monkeypatch, counts too)."""
    imported, stack = set(), list(ast.parse(inspect.getsource(mod)).body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return [n for n in vars(mod) if n.upper() == n and n.strip("_") and not n.startswith("__")
            and n not in imported]


def _excluded(name: str) -> bool:
    for p in EXCLUDED:
        if p.endswith(("_", ".")) and name.startswith(p):
            return True
        if name == p or name.startswith((p + "[", p + ".")):
            return True
    return False


def constants_in_code() -> set[str]:
    """Every constant of ssbsim.models and ssbsim.parameter_sets, by name.

    Found: module-level UPPERCASE names (not imported from elsewhere) bound to
    a number (not bool), and the numbers inside them: entries of dicts, tuples and
    lists, and numeric fields of dataclass instances (records such as ``NCM711``,
    ``BINDERS[...]``, ``CATHODE``), nested. Numeric defaults of the dataclasses the
    modules define are constants too (``ContactLawParameters.yield_rate_s``).

    Not counted twice: a record met again (a recipe's ``phases``, a parameter set's
    ``BINDERS``) is a reference to the first name it was met under (modules are walked
    with those they import from first); a field equal to its dataclass default is that
    default; a copy of a record (same class, same ``name``, via ``dataclasses.replace``)
    contributes only the fields it changes. Names in :data:`EXCLUDED` are skipped.
    """
    found: set[str] = set()
    seen: dict[int, str] = {}  # id(record) -> its name
    bases: dict[tuple, object] = {}  # (class, record.name) -> the first such record

    def walk(obj, name):
        if _is_number(obj):
            found.add(name)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, f"{name}[{k}]")
        elif isinstance(obj, (tuple, list)):
            for i, v in enumerate(obj):
                walk(v, f"{name}[{i}]")
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            if id(obj) in seen:
                return
            seen[id(obj)] = name
            key = (type(obj), getattr(obj, "name", None))
            base = bases.get(key) if key[1] is not None else None
            bases.setdefault(key, obj)
            for f in dataclasses.fields(obj):
                v = getattr(obj, f.name)
                if base is not None and _same(v, getattr(base, f.name)):
                    continue
                if f.default is not dataclasses.MISSING and _same(v, f.default):
                    continue
                walk(v, f"{name}.{f.name}")

    for modname in _module_names():
        mod = importlib.import_module("ssbsim." + modname)
        for attr in _top_level_names(mod):
            walk(getattr(mod, attr), f"{modname}.{attr}")
        for cls in vars(mod).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == mod.__name__:
                for f in dataclasses.fields(cls):
                    if f.default is not dataclasses.MISSING:
                        walk(f.default, f"{modname}.{cls.__name__}.{f.name}")
    return {n for n in found if not _excluded(n)}


__all__ = ["KINDS", "Source", "Constant", "REGISTRY", "value", "fitted_rows", "table",
           "constants_in_code", "EXCLUDED"]
