"""Fit to your data: recover a contact-law constant from a first-cycle capacity.

"Your data" here is synthetic: a capacity simulated with a known framework modulus
E_f, written in the layout `ssbsim fit --data` reads. Replace the CSV with your own
measured rows (one per cell and condition).
"""
import ssbsim
from ssbsim.simulator.fitting import FitParameter, load_points

E_F = "Composite framework modulus [Pa]"
TRUE_E_F = 2.0e8  # the value the fit should find (chosen, not measured)

measured = ssbsim.simulate("kwon2022", binder="pristine", pressure=2, model="SPM",
                           parameters={E_F: TRUE_E_F}).discharge_capacity_mAh_g
with open("my_points.csv", "w") as fh:
    fh.write("source,binder,stack_pressure_MPa,c_rate,temperature_C,quantity,value,unit,uncertainty\n")
    fh.write(f"mine,pristine,2,0.1,30,discharge_capacity,{measured:.3f},mAh/g,0.5\n")

points = load_points("my_points.csv")
result = ssbsim.fit("kwon2022", points, [FitParameter(E_F, 1e7, 1e9, log=True)],
                    model="SPM", starts=1)
fitted = result.parameters[E_F]
print(f"E_f fitted: {fitted:.3g} Pa (true {TRUE_E_F:.3g} Pa), 95 % interval {result.ci95[E_F]}")
result.save("fit.json", "kwon2022")  # `ssbsim simulate --params fit.json` uses it
assert abs(fitted / TRUE_E_F - 1) < 0.1
