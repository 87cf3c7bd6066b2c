"""Leave one paper out (ssbsim.simulator.lopo): the classification of the registry's
fitted constants per held-out paper, and the command / validate flag that write it
(the refits stubbed: a real refit solves the DFN a few dozen times)."""

import json
import types

import pytest
from click.testing import CliRunner

from ssbsim.parameter_sets.provenance import REGISTRY, Constant, Source
from ssbsim.simulator import lopo
from ssbsim.simulator.cli import main

SCALE = "parameter_sets.ncm_diffusivity.NCM_DIFFUSIVITY.scale"
RHO = "parameter_sets.mechanics.SE_CONTACT[Force chain rearrangement coefficient]"
E_F = "parameter_sets.mechanics.SE_CONTACT[Composite framework modulus [Pa]]"


def _class_of(classes, paper, constant):
    found = [cls for cls, groups in classes[paper].items() for g in groups if constant in g["constants"]]
    assert len(found) == 1, f"{constant} in {found} for {paper}"
    return found[0]


def test_classes_of_the_real_registry():
    classes = lopo.classify()
    for paper in ("choi2025", "jo2024"):  # fitted jointly on both papers' cycle-life rows
        assert _class_of(classes, paper, RHO) == "refittable"
    assert _class_of(classes, "kwon2022", E_F) == "not_identifiable"
    for paper in ("jo2024", "kwon2022"):
        assert _class_of(classes, paper, SCALE) == "refittable"
    for paper in ("emley2023", "choi2025", "kimkwonjung2022"):
        assert _class_of(classes, paper, SCALE) == "unchanged"
        assert _class_of(classes, paper, E_F) == "unchanged"
    (g,) = [g for g in classes["jo2024"]["refittable"] if SCALE in g["constants"]]
    assert g["rows_of_paper"] == ["jo2024-ncm-q0-0.5wt"]
    assert g["rows_without_paper"] == ["kwon2022-q1-pristine-70MPa", "kwon2022-q1-vulcanized-70MPa"]
    # every fitted constant is in exactly one class for every paper; the review row saw none
    fitted = {c.name for c in REGISTRY.values() if c.source.kind == "fitted"}
    for paper, table in classes.items():
        names = [c for groups in table.values() for g in groups for c in g["constants"]]
        assert sorted(names) == sorted(fitted), paper
    assert all(not classes["kimkwonjung2022"][cls] for cls in ("not_identifiable", "refittable"))


def test_classes_of_a_constructed_registry():
    def fitted(*rows):
        return Source("fitted", "a test fit", rows)

    reg = {"a": Constant("a", "-", fitted("kwon2022-q1-pristine-2MPa", "choi2025-ice-anisole")),
           "b": Constant("b", "-", fitted("emley2023-ionic-wet")),
           "c": Constant("c", "-", Source("assumed", "a guess"))}
    classes = lopo.classify(reg, papers=["kwon2022", "emley2023", "jo2024"])
    assert [g["constants"] for g in classes["kwon2022"]["refittable"]] == [["a"]]
    assert [g["constants"] for g in classes["kwon2022"]["unchanged"]] == [["b"]]
    assert [g["constants"] for g in classes["emley2023"]["not_identifiable"]] == [["b"]]
    assert [len(classes["jo2024"][cls]) for cls in lopo.CLASSES] == [0, 0, 2]
    with pytest.raises(KeyError, match="not in the catalogue"):
        lopo.classify({"d": Constant("d", "-", fitted("no-such-row"))})


def test_the_scale_predicts_the_rows_of_its_kind():
    rows = REGISTRY[SCALE].source.rows
    assert lopo.predicted_rows(rows, "jo2024") == ["jo2024-ncm-q0-0.5wt", "jo2024-ncm-q0-2.5wt"]
    assert sorted(lopo.predicted_rows(rows, "kwon2022")) == sorted(
        f"kwon2022-q1-{b}-{p}MPa" for b in ("pristine", "vulcanized") for p in (2, 70))
    assert lopo.predicted_rows(rows, "emley2023") == []


@pytest.fixture
def stub_refit(monkeypatch):
    """A refit without solves: s is 0.01 when fitted on Kwon's rows, 0.05 on Jo's; the
    'capacity' of a row is 1000 s (so the predictions show which s they used)."""
    calls = []

    def fit(rows, model="DFN", log=None):
        calls.append(tuple(rows))
        return 0.01 if rows[0].startswith("kwon") else 0.05

    stub = types.SimpleNamespace(fit=fit, capacities=lambda s, rows, model="DFN": {r: 1000 * s for r in rows},
                                 LOG10_BOUNDS=(-3.0, -1.0), TOL=0.01)
    monkeypatch.setitem(lopo.REFITS, SCALE, stub)
    return calls


def _check_written(folder, result):
    data = json.loads((folder / "lopo.json").read_text())
    assert data == json.loads(json.dumps(result))
    by_held_out = {r["held_out"]: r for r in data["refits"]}
    assert set(by_held_out) == {"jo2024", "kwon2022"}
    jo = by_held_out["jo2024"]
    assert jo["fit_rows"] == ["kwon2022-q1-pristine-70MPa", "kwon2022-q1-vulcanized-70MPa"]
    assert jo["lopo_value"] == 0.01 and jo["all_paper_value"] == REGISTRY[SCALE].value
    assert {p["row"]: p["lopo"] for p in jo["predictions"]} == {"jo2024-ncm-q0-0.5wt": 10.0,
                                                                 "jo2024-ncm-q0-2.5wt": 10.0}
    assert {p["row"]: p["measured"] for p in jo["predictions"]}["jo2024-ncm-q0-2.5wt"] == 191.0
    assert len(by_held_out["kwon2022"]["predictions"]) == 4
    md = (folder / "lopo.md").read_text()
    assert "not identifiable without P" in md and "What it cannot show" in md
    assert "| jo2024 | `ncm_diffusivity.NCM_DIFFUSIVITY.scale` |" in md


def test_the_command_writes_the_table(tmp_path, stub_refit):
    res = CliRunner().invoke(main, ["lopo", "--out", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    _check_written(tmp_path, json.loads(res.output))
    assert sorted(stub_refit) == [("jo2024-ncm-q0-0.5wt",),
                                  ("kwon2022-q1-pristine-70MPa", "kwon2022-q1-vulcanized-70MPa")]
    res = CliRunner().invoke(main, ["lopo", "--out", str(tmp_path / "c"), "--no-refit"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "c" / "lopo.json").read_text())["refits"] == []
    assert len(stub_refit) == 2


def test_validate_flag_writes_it_beside_validation_json(tmp_path, stub_refit, monkeypatch):
    from ssbsim.simulator import validate

    monkeypatch.setattr(validate, "run_cases", lambda *a, **k: None)  # no solve: those rows say "not run"
    res = CliRunner().invoke(main, ["validate", "--only", "emley2023", "--out", str(tmp_path), "--workers", "1",
                                    "--no-progress", "--leave-one-paper-out"])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "validation.json").read_text())
    _check_written(tmp_path, report["leave_one_paper_out"])
    assert "## Leave one paper out" in (tmp_path / "validation.md").read_text()
