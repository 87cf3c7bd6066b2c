"""The documentation: README as a user guide, tutorials that run, a site that builds.

The README's two set-up commands are the ones that exist (and `.ci/run` runs the second
verbatim); the tutorials in docs/tutorials execute (each asserts what it shows); the
MkDocs site builds with warnings as errors; README and docstrings hold no dates, host
names or notes a user does not have.
"""

import ast
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
TUTORIALS = sorted((REPO / "docs" / "tutorials").glob("*.py"))
SWEEP_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install . && ssbsim sweep"
TEST_COMMAND = 'python3 -m venv .venv && . .venv/bin/activate && pip install ".[test]" && python -m pytest'
#: Work-log wording: dates, host names, the time of a run, notes a user does not have.
WORKLOG = re.compile(r"\b20\d\d-\d\d-\d\d\b|\bOn 20\d\d\b|\b2026\b|\bZen ?\d|\bmorning\b|\bafternoon\b|"
                     r"measured today|measured on 20|domain\.md|domain notes|our notes|shared/docs|"
                     r"\bissue \d+|\bthis host\b",
                     re.IGNORECASE)


def _fenced_bash(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_gives_the_two_commands_verbatim():
    blocks = _fenced_bash(README.read_text())
    assert blocks[:2] == [SWEEP_COMMAND, TEST_COMMAND]
    assert _fenced_bash((REPO / "docs" / "install.md").read_text())[:2] == [SWEEP_COMMAND, TEST_COMMAND]


def test_ci_runs_the_readme_test_command():
    lines = [ln.strip() for ln in (REPO / ".ci" / "run").read_text().splitlines()]
    assert lines[-1] == TEST_COMMAND


def test_readme_is_a_short_user_guide():
    text = README.read_text()
    assert len(text.splitlines()) < 200
    assert "docs/figures/capacity_vs_pressure.png" in text
    for page in re.findall(r"\]\((docs/[^)#]+)", text):
        assert (REPO / page).exists(), f"README links to a missing page {page}"


def _package_docstrings():
    """(file, docstring) of every module, class and function of the installed package."""
    files = [REPO / "__init__.py", REPO / "citations.py",
             *sorted(p for d in ("models", "simulator", "parameter_sets") for p in (REPO / d).rglob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text())
        for node in [tree, *ast.walk(tree)]:
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc:
                    yield path.relative_to(REPO), doc


def test_no_work_log_wording_in_readme_or_docstrings():
    found = [f"README.md: {m.group(0)!r}" for m in WORKLOG.finditer(README.read_text())]
    found += [f"{path}: {m.group(0)!r}" for path, doc in _package_docstrings() for m in WORKLOG.finditer(doc)]
    assert not found, "dates, hosts or notes in user-facing text:\n" + "\n".join(found)


def test_every_tutorial_script_is_on_a_page():
    pages = "".join(p.read_text() for p in (REPO / "docs" / "tutorials").glob("*.md"))
    assert len(TUTORIALS) >= 4
    for script in TUTORIALS:
        assert f'--8<-- "docs/tutorials/{script.name}"' in pages, f"{script.name} is on no page"


@pytest.mark.parametrize("script", TUTORIALS, ids=[s.stem for s in TUTORIALS])
def test_tutorial_runs(script, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip(), f"{script.name} printed nothing"


def test_docs_build_strict(tmp_path):
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install '.[docs]')")
    pytest.importorskip("mkdocstrings", reason="mkdocstrings is not installed (pip install '.[docs]')")
    # The API reference is read by griffe: give it a folder that holds the repository
    # under the package's name (an editable install from a checkout named otherwise is
    # not found on sys.path by name).
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ssbsim").symlink_to(REPO, target_is_directory=True)
    env = os.environ | {"SSBSIM_DOCS_PATH": str(tmp_path / "src")}
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                          str(REPO / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    assert 'id="ssbsim.models.contact_law.contact_fraction"' in api
    assert 'id="ssbsim.simulator.simulation.simulate"' in api
