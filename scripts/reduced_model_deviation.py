"""How far the SPMe and SPM deviate from the DFN for each preset at its defaults.

The relative difference of the first cycle's working capacity (discharge; delithiation
for anode half cells) from the DFN's, which `ssbsim.simulator.presets.REDUCED_MODEL_DEVIATION`
records and simulate / fit use to warn and to choose the fit's default model. Run:
``python scripts/reduced_model_deviation.py`` (~1 min on 2 cores).
"""

import ssbsim
from ssbsim.simulator.errors import SimulationError
from ssbsim.simulator.presets import PRESETS


def deviation(preset: str) -> dict:
    def capacity(model):
        r = ssbsim.simulate(preset, model=model)
        return r.delithiation_capacity_mAh_g if r.working == "anode" else r.discharge_capacity_mAh_g

    dfn = capacity("DFN")
    out = {}
    for model in ("SPMe", "SPM"):
        try:
            out[model] = round(float(capacity(model) / dfn - 1), 3)
        except SimulationError:
            out[model] = None  # the first cycle does not complete
    return out


if __name__ == "__main__":
    for name in PRESETS:
        row = ", ".join(f'"{model}": {value}' for model, value in deviation(name).items())
        print(f'    "{name}": {{{row}}},', flush=True)
