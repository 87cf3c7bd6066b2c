"""``ssbsim data`` and ``ssbsim characterise``: the lab's own files in, virtual
measurements out; ``ssbsim lopo``: the leave-one-paper-out check of the fitted
constants. Registered on the main group by :mod:`ssbsim.simulator.cli`."""

from __future__ import annotations

import json

import click

from .cli_choices import COVERAGE_ENTRIES, MODELS


@click.group(short_help="Cycler files: what a file holds, as ssbsim reads it.")
def data():
    """Cycler files (BioLogic .mpr/.mpt, Neware .nda/.ndax, Arbin .res, CSV) as ssbsim reads them."""


@data.command("show", short_help="Rows, duration, channels, cycles and capacities of a cycler file.")
@click.argument("path", type=click.Path(dir_okay=True))
@click.option("--pressure-column", default=None, help="Column of a stack-pressure channel.")
@click.option("--pressure-unit", default="MPa", show_default=True, help="MPa, kPa, bar, psi or N/mm2.")
@click.option("--cycler-columns", "--csv-columns", "csv_columns", default="time,current,voltage", show_default=True,
              help="CSV only: time, current and voltage column names (as fit's --cycler-columns).")
@click.option("--cycler-units", "--csv-units", "csv_units", default="s,A,V", show_default=True,
              help="CSV only: s|min|h, A|mA, V|mV (as fit's --cycler-units).")
@click.option("--charge-positive", is_flag=True, help="CSV only: the cycler counts charge current as positive.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def show(path, pressure_column, pressure_unit, csv_columns, csv_units, charge_positive, as_json):
    """What ssbsim reads from a cycler file.

    \b
    The tidy table: time [s] from the first record, current [A] (> 0 on discharge,
    PyBaMM's sign; BioLogic, Neware and Arbin charge-positive currents are negated),
    voltage [V], cycle and step numbers from 1, optional stack pressure [MPa].
    Capacities per cycle are integrals of the current within each step [mAh].
    """
    from .cli_choices import _triple
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


def _check_h5(ctx, param, value):
    """A foreign --h5 file is refused before anything is computed."""
    if value:
        from .measurement_store import check_file

        check_file(value)
    return value


def _cell_options(f):
    """The conditions every virtual measurement takes (as ``ssbsim simulate``)."""
    from .cli_choices import MODELS

    for opt in reversed([
        click.option("--preset", required=True, help="Cell preset, e.g. jo2024-cathode, emley2023, kwon2022."),
        click.option("--binder", default=None, help="Binder of the preset."),
        click.option("--process", default=None, help="Electrode process: wet, dry or none (binder-free)."),
        click.option("--pressure", type=float, default=None, help="Stack pressure [MPa], 0-500."),
        click.option("--temperature", type=float, default=None, help="Temperature [C]."),
        click.option("--model", default="DFN", show_default=True, type=MODELS, help="DFN, SPMe or SPM."),
        click.option("--mechanics/--no-mechanics", default=True, show_default=True,
                     help="Contact loss, voids, delamination and binder mechanics."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
        click.option("--figure", default=None, type=click.Path(dir_okay=False), help="Write a PNG of the measurement."),
        click.option("--h5", default=None, type=click.Path(dir_okay=False), callback=_check_h5,
                     help="Append the measurement to this HDF5 file (a group per run)."),
    ]):
        f = opt(f)
    return f


def _emit(result, as_json, figure, lines, h5=None):
    if figure:
        from .characterise_figures import draw

        draw(result, figure)
    click.echo(json.dumps(result, indent=2, allow_nan=False) if as_json else "\n".join(lines))
    if h5:  # after the numbers are out: a file another writer holds loses none of them
        from .measurement_store import write_measurement

        click.echo(f"written: {h5}:{write_measurement(h5, result)}", err=True)


@click.group(short_help="Virtual GITT, DC-IR, blocking cells and EIS of a preset cell.")
def characterise():
    """Virtual characterisation: the lab's measurements run on the model and analysed
    from its current and voltage as the papers did (Jo 2024, Emley 2023)."""


@characterise.command("gitt", short_help="GITT, Weppner-Huggins diffusivity and relative active area.")
@_cell_options
@click.option("--binder-content", "binder_contents", multiple=True, type=float,
              help="Binder content(s) [wt%]; each is compared with --reference-content.")
@click.option("--reference-content", default=None, type=float,
              help="Binder content the areas are relative to [wt%] (default: the binder's in the preset, "
                   "Jo 2024: 0.5); also the content run when no --binder-content is given.")
@click.option("--c-rate", type=float, default=None, help="Pulse C-rate [default 0.05].")
@click.option("--pulse-min", type=float, default=None, help="Pulse length [min, default 10].")
@click.option("--rest-min", type=float, default=None, help="Rest after each pulse [min, default 60].")
@click.option("--pulses", type=int, default=None, help="Pulses [default 3].")
@click.option("--soc", type=float, default=None, help="SOC where the pulses start [default 0.5].")
@click.option("--coverage-entry", default=None, type=COVERAGE_ENTRIES,
              help="What the binder-covered surface blocks besides charge transfer (as simulate's) "
                   "[default: none].")
def gitt_cmd(preset, binder, process, pressure, temperature, model, mechanics, as_json, figure, h5,
             binder_contents, reference_content, c_rate, pulse_min, rest_min, pulses, soc, coverage_entry):
    """GITT with Weppner-Huggins analysis: D_app = 4/(pi tau) (R/3)^2 (dEs/dEt)^2 per
    pulse; relative active area sqrt(D_app / D_app(reference content)) beside the
    binder-coverage law's."""
    from .characterise import gitt_active_area
    from .presets import get_preset

    if reference_content is None:
        reference_content = get_preset(preset).binder(binder)[1].content_wt_pct
    r = gitt_active_area(preset, list(binder_contents) or [reference_content], reference_content,
                         binder=binder, process=process, pressure=pressure, temperature=temperature,
                         model=model, mechanics=mechanics, c_rate=c_rate, pulse_min=pulse_min,
                         rest_min=rest_min, pulses=pulses, soc=soc, coverage_entry=coverage_entry)
    lines = [f"GITT {preset}: {r['settings']}", f"{'wt%':>5} {'D_app [m2/s]':>13} {'area (GITT)':>12} {'area (law)':>11}"]
    lines += [f"{x['binder_content_wt_pct']:>5g} {x['D_app_m2_s']:>13.4g} {x['relative_active_area_gitt']:>12.3f} "
              f"{x['relative_active_area_law']:>11.3f}" for x in r["rows"]]
    lines += [f"note ({x['binder_content_wt_pct']:g} wt%): {n}" for x in r["rows"] for n in x["notes"]]
    _emit(r, as_json, figure, lines, h5)


@characterise.command("dcir", short_help="DC-IR from 10 s pulses at 0.025-1C (Jo 2024).")
@_cell_options
@click.option("--binder-content", type=float, default=None, help="Binder content [wt%].")
@click.option("--soc", type=float, default=0.5, show_default=True, help="SOC of the pulses.")
@click.option("--c-rates", default=None, help="Comma-separated pulse C-rates [default 0.025,0.05,0.1,0.25,0.5,1].")
@click.option("--coverage-entry", default=None, type=COVERAGE_ENTRIES,
              help="What the binder-covered surface blocks besides charge transfer (as simulate's) "
                   "[default: none].")
def dcir_cmd(preset, binder, process, pressure, temperature, model, mechanics, as_json, figure, h5,
             binder_content, soc, c_rates, coverage_entry):
    """DC-IR: R = slope of the 10 s voltage change against the pulse current."""
    from .characterise import DCIR_C_RATES, dcir
    from .errors import InputError

    try:
        rates = tuple(float(c) for c in c_rates.split(",")) if c_rates else DCIR_C_RATES
    except ValueError:
        raise InputError(f"--c-rates={c_rates!r} is not a comma-separated list of numbers") from None
    r = dcir(preset, soc=soc, c_rates=rates, binder=binder, process=process, binder_content=binder_content,
             pressure=pressure, temperature=temperature, model=model, mechanics=mechanics,
             coverage_entry=coverage_entry)
    lines = [f"DC-IR {preset} at SOC {soc:g}: R = {r['resistance_Ohm']:.4g} Ohm "
             f"({r['area_specific_resistance_Ohm_cm2']:.4g} Ohm cm2)"]
    lines += [f"  {p['c_rate']:g}C  {1e3 * p['current_A']:.4g} mA  dV {1e3 * p['delta_V']:.4g} mV" for p in r["pulses"]]
    _emit(r, as_json, figure, lines, h5)


@characterise.command("blocking", short_help="Ionic and electronic conductivity of the composite (Emley 2023).")
@_cell_options
@click.option("--binder-content", type=float, default=None, help="Binder content [wt%].")
def blocking_cmd(preset, binder, process, pressure, temperature, model, mechanics, as_json, figure, h5,
                 binder_content):
    """Electron- and ion-blocking DC measurements on the working composite (30 C unless
    --temperature): sigma = L / (R A)."""
    from .characterise_cells import BLOCKING_TEMPERATURE_C, blocking
    from .errors import InputError

    if figure:
        raise InputError("--figure: characterise blocking gives two numbers and draws no figure")
    r = blocking(preset, binder=binder, process=process, binder_content=binder_content, pressure=pressure,
                 temperature=BLOCKING_TEMPERATURE_C if temperature is None else temperature,
                 model=model, mechanics=mechanics)
    _emit(r, as_json, None, [f"blocking cells {preset} ({r['conditions']['process']}, "
                             f"{r['conditions']['binder_content_wt_pct']:g} wt%, {r['thickness_um']:.4g} um): "
                             f"ionic {r['ionic_conductivity_S_cm']:.3g} S/cm, "
                             f"electronic {r['electronic_conductivity_S_cm']:.3g} S/cm"], h5)


@characterise.command("eis", short_help="Impedance spectrum (PyBaMM EIS, DFN) at a SOC and pressure.")
@_cell_options
@click.option("--binder-content", type=float, default=None, help="Binder content [wt%].")
@click.option("--soc", type=float, default=0.5, show_default=True, help="SOC reached from pristine at 0.1C.")
@click.option("--cycles", type=int, default=0, show_default=True, help="Paper cycles run before (0-50).")
@click.option("--coverage-entry", default=None, type=COVERAGE_ENTRIES,
              help="What the binder-covered surface blocks besides charge transfer (as simulate's) "
                   "[default: none].")
def eis_cmd(preset, binder, process, pressure, temperature, model, mechanics, as_json, figure, h5, binder_content,
            soc, cycles, coverage_entry):
    """EIS of the rested cell at --soc (the DFN, whatever --model says); the interfacial
    arc is Re Z(0.1 Hz) - Re Z(100 kHz)."""
    from .characterise_cells import eis
    from .errors import InputError

    if model != "DFN":
        raise InputError(f"--model {model}: characterise eis runs the DFN (the SPMe with a double layer drives the "
                         "SE concentration negative in these cells)")
    r = eis(preset, soc=soc, cycles=cycles, binder=binder, process=process, binder_content=binder_content, pressure=pressure,
            temperature=temperature, mechanics=mechanics, coverage_entry=coverage_entry)
    _emit(r, as_json, figure, [f"EIS {preset} at SOC {soc:g} ({r['voltage_V']:.4g} V) after {cycles} cycle(s), "
                               f"{r['conditions']['pressure_MPa']:g} MPa: R_hf {r['high_frequency_resistance_Ohm']:.4g} "
                               f"Ohm, interfacial arc {r['interfacial_resistance_Ohm']:.4g} Ohm"], h5)


@click.command(short_help="Leave one paper out: fitted constants per paper, refits without it.")
@click.option("--out", default="results/validation", show_default=True, type=click.Path(file_okay=False),
              help="Folder of lopo.json and lopo.md (that of validation.json).")
@click.option("--model", default="DFN", show_default=True, type=MODELS, help="DFN, SPMe or SPM (the refits' model).")
@click.option("--no-refit", is_flag=True, help="Only the classification (no solve).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def lopo(out, model, no_refit, as_json):
    """For each paper P, every fitted constant of the registry is not identifiable
    without P (fitted on P's rows only), refittable (fitted on P's and other papers'
    rows: refitted without P, P's rows of the same kind predicted) or unchanged."""
    from .files import check_writable
    from .lopo import leave_one_paper_out, markdown, write

    folder = check_writable(out, "--out", folder=True)
    log = None if as_json else click.echo
    result = leave_one_paper_out(model=model, refits=not no_refit, log=log)
    files = write(result, folder)
    if as_json:
        click.echo(json.dumps(result, allow_nan=False))
        return
    for line in markdown(result):
        click.echo(line)
    click.echo("written: " + ", ".join(str(p) for p in files))
