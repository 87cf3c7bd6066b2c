"""``ssbsim bench``: speed and accuracy of models, solvers and meshes, and the numba
kernel. Registered on the main group by :mod:`ssbsim.simulator.cli`."""

from __future__ import annotations

import json

import click

from .errors import InputError


@click.command(short_help="Speed and accuracy of models, solvers, meshes.")
@click.option("--quick", is_flag=True, help="SPM and DFN, IDAKLU, default mesh, 3 repeats (< 2 min).")
@click.option("--models", default=None, help="Comma-separated, e.g. SPM,SPMe,DFN.")
@click.option("--solvers", default=None, help="Comma-separated: IDAKLU,CasADi.")
@click.option("--meshes", default=None, help="Comma-separated: coarse,default,fine.")
@click.option("--reference-mesh", default="fine", show_default=True, help="Mesh of the DFN reference.")
@click.option("--repeats", type=click.IntRange(min=1), default=None, help="Warm solves per configuration (default 5; quick 3).")
@click.option("--particles", type=click.IntRange(min=1), default=100_000, show_default=True, help="Kernel benchmark size.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--plot", "plot_path", default=None, type=click.Path(dir_okay=False), help="Write time-vs-error PNG.")
@click.option("--kernel-scaling", is_flag=True, help="Also numba/NumPy at 1e3...1e6 particles and a Python loop.")
@click.option("--sweep-scaling", is_flag=True, help="Also a 12-case sweep with 1 and 2 workers.")
def bench(quick, models, solvers, meshes, reference_mesh, repeats, particles, as_json, plot_path,
          kernel_scaling, sweep_scaling):
    """Speed and accuracy of model x solver x mesh x mechanics, and the numba kernel."""
    from ssbsim.benchmarks.harness import MESHES, SOLVERS, format_table, plot_bench, run_bench

    def pick(value, default, allowed, name):
        items = tuple(value.split(",")) if value else default
        for item in items:
            if item not in allowed:
                raise InputError(f"{name}={item!r} is not one of {', '.join(allowed)}")
        return items

    quick_or = (lambda q, full: q if quick else full)
    result = run_bench(
        models=pick(models, quick_or(("SPM", "DFN"), ("SPM", "SPMe", "DFN")), ("SPM", "SPMe", "DFN"), "models"),
        solvers=pick(solvers, quick_or(("IDAKLU",), ("IDAKLU", "CasADi")), tuple(SOLVERS), "solvers"),
        meshes=pick(meshes, quick_or(("default",), ("coarse", "default")), tuple(MESHES), "meshes"),
        repeats=repeats or quick_or(3, 5), particles=particles,
        reference_mesh=pick(reference_mesh, (), tuple(MESHES), "reference mesh")[0])
    if kernel_scaling:
        from ssbsim.benchmarks.harness import kernel_scaling as ks

        result["kernel_scaling"] = ks()
    if sweep_scaling:
        from ssbsim.benchmarks.harness import sweep_scaling as ss

        result["sweep_scaling"] = ss()
    if plot_path:
        plot_bench(result, plot_path)
    click.echo(json.dumps(result) if as_json else format_table(result))
