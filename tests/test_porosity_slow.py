"""Jo 2024 porosity after 150 cycles (slow: ~1.5 min; run with ``pytest -m slow``)."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "porosity_growth.py"


@pytest.mark.slow
def test_porosity_after_150_cycles_follows_jo2024(tmp_path):
    spec = importlib.util.spec_from_file_location("porosity_growth", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(["--cycles", "150", "--particles", "4000", "--out", str(tmp_path)])
    res = json.loads((tmp_path / "porosity_growth.json").read_text())
    model = [res[w]["model_pct"] for w in ("0.5", "1.5", "2.5")]
    assert model[0] > model[1] > model[2]
    for w in ("0.5", "1.5", "2.5"):
        assert abs(res[w]["model_pct"] - res[w]["measured_pct"]) <= 3.0, (w, res[w])
