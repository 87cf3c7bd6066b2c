"""Cycle life: capacity over the first cycles of Kwon 2022's half cell at 2 MPa."""
import ssbsim

result = ssbsim.simulate("kwon2022", binder="pristine", pressure=2, cycles=3, model="SPM")
for n, cycle in enumerate(result.cycles, start=1):
    print(f"cycle {n}: charge {cycle.charge_capacity_mAh_g:.1f}, "
          f"discharge {cycle.discharge_capacity_mAh_g:.1f} mAh/g, "
          f"CE {100 * cycle.coulombic_efficiency:.1f} %")

assert len(result.cycles) == 3
# Isolated particles keep their lithium: no cycle gives back more than it took.
assert all(c.discharge_capacity_mAh_g <= c.charge_capacity_mAh_g + 0.5 for c in result.cycles)
