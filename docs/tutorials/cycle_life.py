"""Cycle life: 200 cycles of Kwon 2022's half cell at 2 and 70 MPa, on the fast path."""
import ssbsim
from ssbsim.simulator.figures import plot_cycle_life

for pressure in (2, 70):
    result = ssbsim.simulate("kwon2022", binder="pristine", pressure=pressure, cycles=200, model="SPM")
    q = [c.discharge_capacity_mAh_g for c in result.cycles]
    print(f"{pressure} MPa: {result.cycle_path}, {len(result.representative_cycles)} cycles solved; "
          f"discharge {q[0]:.1f} -> {q[-1]:.1f} mAh/g (retention {100 * q[-1] / q[1]:.1f} % of cycle 2), "
          f"capacity isolated {result.cycles[-1].loss_of_active_material_pct:.1f} %")
    if pressure == 2:
        low = q
        plot_cycle_life(result, "cycle_life_2MPa.png")

assert len(low) == 200 and result.cycle_path == "cycle skipping"
# contact loss accumulates: cycle 200 holds less than cycle 2 at 2 MPa
assert low[-1] < low[1]
