"""The package as a user installs it: import paths, entry points, console script."""

import shutil
import subprocess
import sys
from pathlib import Path

import pybamm
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["models", "simulator", "parameter_sets"])
def test_bare_import_from_repo_root_fails_with_hint(name):
    out = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=REPO,
                         capture_output=True, text=True)
    assert out.returncode != 0
    assert f"import ssbsim.{name}" in out.stderr


def test_subpackages_import_as_ssbsim():
    import ssbsim
    import ssbsim.models
    import ssbsim.parameter_sets
    import ssbsim.simulator

    assert callable(ssbsim.simulate)
    assert ssbsim.models.composite_cell_model is not None


@pytest.mark.parametrize("name", ["Kwon2022", "Jo2024", "Emley2023", "Choi2025"])
def test_parameter_sets_registered_with_pybamm(name):
    pv = pybamm.ParameterValues(name)
    assert pv["Cation transference number"] == 1.0  # single-ion conductor
    assert 0 < pv["Positive electrode porosity"] < 1  # the SE volume fraction


def test_console_script_installed():
    exe = shutil.which("ssbsim")
    assert exe, "the ssbsim console script is not on PATH"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "simulate" in out.stdout


def test_calibration_copy_matches_shared_data():
    from conftest import DATA, SHARED_DATA

    if not SHARED_DATA.exists():
        pytest.skip(f"{SHARED_DATA} not beside this clone; the copy in tests/data is used")
    assert DATA.read_text() == SHARED_DATA.read_text(), "tests/data is stale: copy shared/data again"


def test_top_level_api_names_the_three_jobs():
    import ssbsim
    from ssbsim.simulator import fitting, sweep

    assert ssbsim.sweep.__doc__ and ssbsim.fit.__doc__
    assert "sweep" in ssbsim.__all__ and "fit" in ssbsim.__all__
    assert callable(sweep.sweep) and callable(fitting.fit)


def test_top_level_sweep_runs_a_grid(tmp_path):
    import ssbsim

    report = ssbsim.sweep(presets=["kwon2022"], pressures=[70.0], model="SPM", out=tmp_path / "s.h5",
                          workers=1, figures=False)
    assert report.n_cases == 1 and not report.failures


#: The developers' guide's module size: a module past it holds more than one piece.
MAX_MODULE_LINES = 400


def test_no_module_is_longer_than_the_guide_allows():
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    long = {p: n for p in tracked.stdout.split()
            if (n := len((REPO / p).read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"
