"""The ``ssbsim`` command line (click)."""

from __future__ import annotations

import json
import sys

import click

from .errors import SsbsimError


class _Group(click.Group):
    """Turns ssbsim's own errors into one line on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SsbsimError as e:
            click.echo(f"ssbsim: error: {e}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="ssbsim")
def main():
    """ssbsim: sulfide all-solid-state battery simulations on PyBaMM."""


@main.command()
@click.option("--preset", required=True, help="Cell preset, e.g. kwon2022, jo2024-cathode (see `ssbsim presets`).")
@click.option("--binder", default=None, help="Binder of the preset, e.g. pristine, vulcanized, nbr-anisole.")
@click.option("--process", default=None, help="Electrode process: wet, dry or none (binder-free).")
@click.option("--binder-content", type=float, default=None, help="Binder content [wt%], 0-10.")
@click.option("--pressure", type=float, default=None, help="Stack pressure [MPa], 0-500.")
@click.option("--c-rate", type=float, default=None, help="C-rate of the CC steps.")
@click.option("--cycles", type=int, default=1, show_default=True, help="Number of cycles.")
@click.option("--temperature", type=float, default=None, help="Temperature [C].")
@click.option("--model", default="DFN", show_default=True, help="DFN, SPMe or SPM.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def simulate(preset, binder, process, binder_content, pressure, c_rate, cycles, temperature, model, as_json):
    """Simulate a preset cell with its paper's protocol (CC-CV charge, CC discharge)."""
    from .simulation import simulate as run

    result = run(preset, binder=binder, process=process, binder_content=binder_content,
                 pressure=pressure, c_rate=c_rate, cycles=cycles, temperature=temperature,
                 model=model)
    click.echo(json.dumps(result.to_dict(), indent=2) if as_json else result.summary())


@main.command()
def presets():
    """List the presets and their binders."""
    from .presets import PRESETS

    for p in PRESETS.values():
        click.echo(f"{p.name:16s} {p.description}")
        click.echo(f"{'':16s} binders: {', '.join(p.binders)}; default {p.c_rate:g}C, "
                   f"{p.temperature_C:g} C, {p.pressure_MPa:g} MPa")
