"""``ssbsim data`` and ``ssbsim characterise``: the lab's own files in, virtual
measurements out. Registered on the main group by :mod:`ssbsim.simulator.cli`."""

from __future__ import annotations

import json

import click


@click.group(short_help="Cycler files: what a file holds, as ssbsim reads it.")
def data():
    """Cycler files (BioLogic .mpr/.mpt, Neware .nda/.ndax, CSV) as ssbsim reads them."""


@data.command("show", short_help="Rows, duration, channels, cycles and capacities of a cycler file.")
@click.argument("path", type=click.Path(dir_okay=True))
@click.option("--pressure-column", default=None, help="Column of a stack-pressure channel.")
@click.option("--pressure-unit", default="MPa", show_default=True, help="MPa, kPa, bar, psi or N/mm2.")
@click.option("--csv-columns", default="time,current,voltage", show_default=True,
              help="CSV only: time, current and voltage column names.")
@click.option("--csv-units", default="s,A,V", show_default=True, help="CSV only: s|min|h, A|mA, V|mV.")
@click.option("--charge-positive", is_flag=True, help="CSV only: the cycler counts charge current as positive.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def show(path, pressure_column, pressure_unit, csv_columns, csv_units, charge_positive, as_json):
    """What ssbsim reads from a cycler file.

    \b
    The tidy table: time [s] from the first record, current [A] (> 0 on discharge,
    PyBaMM's sign; BioLogic and Neware charge-positive currents are negated),
    voltage [V], cycle and step numbers from 1, optional stack pressure [MPa].
    Capacities per cycle are integrals of the current within each step [mAh].
    """
    from .cli import _triple
    from .cycler_files import read_cycler_file

    d = read_cycler_file(path, pressure_column=pressure_column, pressure_unit=pressure_unit,
                         csv_columns=_triple(csv_columns, "--csv-columns"),
                         csv_units=_triple(csv_units, "--csv-units"), charge_positive=charge_positive)
    s = d.summary()
    if as_json:
        click.echo(json.dumps(s, indent=2, allow_nan=False))
        return
    click.echo(f"{s['file']}: {s['format']}, {s['rows']} records over {s['duration_h']:.4g} h, "
               f"{s['cycles']} cycle(s), {s['steps']} step(s)")
    click.echo("channels: " + ", ".join(f"{k} <- {v!r}" for k, v in s["columns"].items()))
    click.echo(f"sign: {s['sign_convention']}")
    lo, hi = s["voltage_range_V"]
    ilo, ihi = s["current_range_A"]
    click.echo(f"voltage {lo:.4g} to {hi:.4g} V; current {1e3 * ilo:.4g} to {1e3 * ihi:.4g} mA")
    if s["pressure_range_MPa"]:
        click.echo("stack pressure {:.4g} to {:.4g} MPa".format(*s["pressure_range_MPa"]))
    click.echo(f"{'cycle':>5}  {'charge [mAh]':>13}  {'discharge [mAh]':>15}")
    for c in s["capacities"]:
        click.echo(f"{c['cycle']:>5}  {c['charge_mAh']:>13.5g}  {c['discharge_mAh']:>15.5g}")
