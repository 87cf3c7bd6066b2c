"""The ``ssbsim`` command line (click)."""

from __future__ import annotations

import json
import os
import sys

import click

from .cli_choices import COVERAGE_ENTRIES, FIXTURES, MODELS, PROCESSES, _FIXTURE_HELP, _triple  # noqa: F401
from .errors import InputError, SsbsimError


class _Group(click.Group):
    """Turns ssbsim's own errors and click's usage errors into one line on stderr and
    exit code 2; an operating-system error (disk full, permission) into one line and
    exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SsbsimError as e:
            _fail(str(e), 2)
        except click.UsageError as e:
            where = f" (see ssbsim {e.ctx.info_name} --help)" if e.ctx and e.ctx.parent else ""
            _fail(e.format_message() + where, 2)
        except BrokenPipeError:  # the reader went away (`ssbsim presets | head`): nothing to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as e:
            _fail(f"{e.strerror or e}" + (f": {e.filename}" if e.filename else ""), 1)


def _fail(message: str, code: int):
    click.echo(f"ssbsim: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def _params(path):
    if path is None:
        return None
    from .params_file import load_parameters

    return load_parameters(path)


@click.group(cls=_Group)
@click.version_option(package_name="ssbsim")
@click.option("--compile", "compile_", is_flag=True,
              help="Compile the solver's functions to C (PyBaMM's compile option; the same as "
                   "SSBSIM_COMPILE=1): the first build of each model runs the C compiler (seconds to a "
                   "minute, kept on disk), later solves run faster.")
def main(compile_):
    """ssbsim: sulfide all-solid-state battery simulations on PyBaMM."""
    from .solving import COMPILE_ENV, compiled

    if compile_:
        os.environ[COMPILE_ENV] = "1"
    compiled()  # a bad SSBSIM_COMPILE is a one-line error before any work


@main.command(short_help="One cell: a preset, its conditions, any protocol.")
@click.option("--preset", required=True, help="Cell preset, e.g. kwon2022, jo2024-cathode (see `ssbsim presets`).")
@click.option("--binder", default=None, help="Binder of the preset, e.g. pristine, vulcanized, nbr-anisole.")
@click.option("--process", default=None, type=PROCESSES, help="Electrode process: wet, dry or none (binder-free).")
@click.option("--binder-content", type=float, default=None, help="Binder content [wt%], 0-10.")
@click.option("--pressure", type=float, default=None, help="Stack pressure [MPa], 0-500.")
@click.option("--c-rate", type=float, default=None, help="C-rate of the default protocol's CC steps.")
@click.option("--cycles", type=int, default=None, help="Cycles of the default protocol [default: 1].")
@click.option("--protocol", "protocol", default=None,
              help="Protocol file (JSON/YAML/TOML: {\"cycles\": [{\"steps\": [...], \"repeat\": N, "
                   "\"pressure_MPa\": P}]}) or the name of a paper protocol of the preset (see `ssbsim presets`).")
@click.option("--step", "steps", multiple=True,
              help='One step of a cycle in PyBaMM syntax, repeatable, e.g. --step "Charge at 0.1C until 4.3 V" '
                   '--step "Discharge at 1C until 3 V" (the cell\'s own sense: in an anode half cell Discharge lithiates).')
@click.option("--repeat", type=int, default=None, help="Repeat the --step cycle N times [default: 1].")
@click.option("--temperature", type=float, default=None, help="Temperature [C].")
@click.option("--model", default="DFN", show_default=True, type=MODELS, help="DFN, SPMe or SPM.")
@click.option("--mechanics/--no-mechanics", default=True, show_default=True,
              help="Contact loss, voids, delamination and binder mechanics.")
@click.option("--fixture", type=FIXTURES, default=None, help=_FIXTURE_HELP)
@click.option("--coverage-entry", type=COVERAGE_ENTRIES, default=None,
              help="What the binder-covered surface blocks besides charge transfer: nothing, or Li entry "
                   "into the particles too (diffusivity D (1 - theta)^2) [default: none].")
@click.option("--params", "params_path", default=None, type=click.Path(dir_okay=False),
              help="JSON parameter file (e.g. from ssbsim fit).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the conditions, the first cycle's metrics at the top level and "
                   "`cycles`, one object per cycle.")
@click.option("--cycle-skipping/--every-cycle", "skipping", default=None,
              help="Skip cycles (PyBaMM solves representative ones; default above 50 cycles) or solve each.")
@click.option("--thickness-bands", "bands", default=None, type=int,
              help="Particles per size class across the electrode's thickness in the contact ensemble "
                   "(DFN, more than one cycle; default 5; 0: the size classes alone).")
@click.option("--figure", "figure", default=None, type=click.Path(dir_okay=False),
              help="Write the retention and contact state per cycle to this image (PNG, SVG, PDF).")
def simulate(preset, binder, process, binder_content, pressure, c_rate, cycles, protocol, steps, repeat,
             temperature, model, mechanics, fixture, coverage_entry, params_path, as_json, skipping, bands, figure):
    """Simulate a preset cell with its paper's protocol, or any protocol.

    \b
    Per cycle (--json `cycles`, and the first cycle at the top level), capacities are
    per gram of working-electrode active material:
      charge_capacity_mAh_g      the cell's charge half-cycle
      discharge_capacity_mAh_g   the cell's discharge half-cycle
      coulombic_efficiency       cathodes, full cells: discharge / charge;
                                 anode half cells: delithiation / lithiation
      average_discharge_voltage_V  (vs Li/Li+ in half cells)
    Anode half cells also give lithiation_capacity_mAh_g (= discharge: the anode
    takes up Li) and delithiation_capacity_mAh_g (= charge; what papers often call
    the anode's "discharge"); two-phase (graphite-Si) half cells give
    first_delithiation_split: by phase, and by voltage plateau at its dQ/dV valley as
    papers split it. `notes` name every condition outside the span of the rows the
    fitted constants were fitted on (an extrapolation).
    """
    from .simulation import simulate as run

    result = run(preset, binder=binder, process=process, binder_content=binder_content,
                 pressure=pressure, c_rate=c_rate, cycles=cycles, temperature=temperature,
                 model=model, mechanics=mechanics, parameters=_params(params_path),
                 protocol=_protocol(protocol, steps, repeat), cycle_skipping=skipping, fixture=fixture,
                 coverage_entry=coverage_entry, thickness_bands=bands)
    click.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False) if as_json else result.summary())
    if figure:
        from .figures import plot_cycle_life

        click.echo(f"wrote {plot_cycle_life(result, figure)}", err=as_json)


def _protocol(protocol, steps, repeat):
    """--protocol FILE|NAME, or --step ... [--repeat N], as simulate's ``protocol``."""
    from pathlib import Path

    from .protocol import Protocol, load_protocol

    if protocol and steps:
        raise InputError("--protocol and --step given together: a protocol file or name, or the steps of one cycle")
    if repeat is not None and not steps:
        raise InputError(f"--repeat {repeat} needs --step (the cycle to repeat); with --protocol, repeat in the file")
    if steps:
        return Protocol.from_steps(steps, 1 if repeat is None else repeat)
    if protocol and (Path(protocol).suffix.lower() in (".json", ".yaml", ".yml", ".toml") or Path(protocol).exists()):
        return load_protocol(protocol)
    return protocol  # a paper protocol's name (or None)


@main.command(short_help="The papers' cells, binders and protocols.")
def presets():
    """List the presets and their binders."""
    from .presets import PRESETS

    for p in PRESETS.values():
        click.echo(f"{p.name:16s} {p.description}")
        names = [n + (f" (= {b.stands_in_for}: its own properties not measured)" if b.stands_in_for else "")
                 for n, b in p.binders.items()]
        click.echo(f"{'':16s} binders: {', '.join(names)}; default {p.c_rate:g}C at "
                   f"{p.temperature_C:g} °C and {p.pressure_MPa:g} MPa")
        for name, proto in p.protocols.items():
            click.echo(f"{'':16s} protocol {name!r}: {proto.n_cycles} cycles")


#: sweep's and validate's --case-timeout (ssbsim.simulator.sweep_workers)
_CASE_TIMEOUT = click.option(
    "--case-timeout", "case_timeout", type=click.FloatRange(min=0, min_open=True), default=None,
    help="Seconds after which a case that has not returned is recorded as failed and the run goes on "
         "(local workers; default: no limit).")


@main.command(short_help="A grid of cases in parallel, stored and resumable.")
@click.option("--preset", "presets", multiple=True, help="Preset(s); default: the seed study (kwon2022).")
@click.option("--binder", "binders", multiple=True, help="Binder(s) of the preset(s).")
@click.option("--process", "processes", multiple=True, type=PROCESSES, help="Process(es): wet, dry, none.")
@click.option("--binder-content", "binder_contents", multiple=True, type=float, help="Binder content(s) [wt%].")
@click.option("--pressure", "pressures", multiple=True, type=float, help="Stack pressure(s) [MPa].")
@click.option("--c-rate", "c_rates", multiple=True, type=float, help="C-rate(s).")
@click.option("--temperature", "temperatures", multiple=True, type=float, help="Temperature(s) [C].")
@click.option("--cycles", "cycles", multiple=True, type=int, help="Cycle count(s).")
@click.option("--model", default="DFN", show_default=True, type=MODELS, help="DFN, SPMe or SPM.")
@click.option("--mechanics/--no-mechanics", default=True, show_default=True,
              help="Contact loss, voids, delamination and binder mechanics.")
@click.option("--fixture", type=FIXTURES, default=None, help=_FIXTURE_HELP)
@click.option("--out", default="results/sweep.h5", show_default=True, type=click.Path(dir_okay=False),
              help="HDF5 file of the cases; summary.csv and the figures go beside it.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local processes (default: all cores).")
@click.option("--scheduler", default=None, help="Dask scheduler address tcp://host:port (pip install ssbsim[dask]).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--overwrite", is_flag=True, help="Start again if --out holds a sweep of another grid.")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Draw the figures when done.")
@click.option("--params", "params_path", default=None, type=click.Path(dir_okay=False),
              help="JSON parameter file (e.g. from ssbsim fit).")
@_CASE_TIMEOUT
def sweep(presets, binders, processes, binder_contents, pressures, c_rates, temperatures, cycles,
          model, mechanics, fixture, out, workers, scheduler, progress, overwrite, figures, params_path,
          case_timeout):
    """Run a grid of cases; with no grid options, the seed pressure sweep (Kwon 2022,
    pristine vs vulcanized BR at 70 / 7 / 2 MPa, 0.1C). Re-running resumes."""
    from .sweep import SweepInterrupted, sweep as run

    try:
        report = run(presets or None, binders or None, processes or None, binder_contents or None,
                     pressures or None, c_rates or None, temperatures or None, cycles or None,
                     model=model, mechanics=mechanics, out=out, workers=workers, scheduler=scheduler,
                     progress=progress, overwrite=overwrite, figures=figures,
                     parameters=_params(params_path), fixture=fixture, case_timeout_s=case_timeout)
    except SweepInterrupted as e:
        click.echo(f"ssbsim: interrupted: {e.n_saved} of {e.n_cases} cases are saved in {e.path} "
                   f"({e.n_new} by this run); resume with: {_command_line(click.get_current_context())}",
                   err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("ssbsim: interrupted before any case was run; nothing was saved", err=True)
        sys.exit(130)
    _capacity_table(report.path)
    click.echo(f"{report.n_cases} cases in {report.path}: {report.n_run} run, "
               f"{report.n_skipped} already done, {len(report.failures)} failed")
    for path in report.figures:
        click.echo(f"figure: {path}")
    if report.failures:
        for name, error in report.failures:
            click.echo(f"failed: {name}: {error}", err=True)
        sys.exit(1)


def _command_line(ctx, drop=("overwrite",)) -> str:
    """The command that repeats this invocation (without ``drop``: a resume must not
    start again), built from the parsed options, quoted for a POSIX shell."""
    import shlex

    words = ["ssbsim", ctx.info_name]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if not isinstance(param, click.Option) or param.name in drop or value in (None, ()) \
                or (not param.multiple and value == param.default):
            continue
        if param.is_flag:
            words.append(param.opts[0] if value else param.secondary_opts[0])
        else:
            for v in (value if param.multiple else (value,)):
                words += [param.opts[0], f"{v:g}" if isinstance(v, float) else str(v)]
    return shlex.join(words)


@main.command(short_help="Every measured row of the papers, model vs data.")
@click.option("--only", "only", multiple=True, help="Paper(s): kwon2022, jo2024, emley2023, choi2025, kimkwonjung2022.")
@click.option("--quick", is_flag=True, help="A representative subset on the fast model (SPMe), under 2 minutes.")
@click.option("--model", default=None, type=MODELS, help="DFN, SPMe or SPM [default: DFN; SPMe with --quick].")
@click.option("--out", default="results/validation", show_default=True, type=click.Path(file_okay=False),
              help="Folder of validation.md, validation.json, the figures and the resumable HDF5 store.")
@click.option("--workers", type=int, default=None, help="Local processes (default: all cores).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--leave-one-paper-out", "lopo", is_flag=True,
              help="Also the leave-one-paper-out check (as `ssbsim lopo`): lopo.json / lopo.md beside validation.json.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: `rows` and `score`.")
@_CASE_TIMEOUT
def validate(only, quick, model, out, workers, progress, lopo, as_json, case_timeout):
    """Simulate every catalogued measurement of the papers as the paper ran it and
    compare: rows labelled calibration (a constant was fitted on them) or validation."""
    from .validate import score_line, validate as run
    from .validation_report import table_lines

    rep = run(only or None, quick=quick, model=model, out=out, workers=workers, progress=progress,
              leave_one_paper_out=lopo, case_timeout_s=case_timeout)
    if as_json:
        click.echo(json.dumps(rep.to_dict(), allow_nan=False))
        return
    for line in table_lines(rep.rows):
        click.echo(line)
    click.echo(score_line(rep.score))
    click.echo(f"report: {rep.path}")


def _capacity_table(path):
    """The stored cases' first-cycle capacities, one line each; a case with notes
    (extrapolation, solver) is marked with their numbers, the notes listed below."""
    from .store import case_notes, open_results

    rows = sorted(open_results(path).read(), key=lambda r: (
        r["preset"], r["binder"], float(r.get("binder_content_wt_pct") or 0), -r["pressure_MPa"]))
    numbers: dict[str, int] = {}  # each distinct note once, numbered in order of appearance
    click.echo(f"{'preset':16s} {'binder':14s} {'wt%':>5s} {'MPa':>6s} {'C-rate':>6s} {'T [C]':>5s} {'charge':>8s} "
               f"{'discharge':>9s}  mAh/g  notes")
    for r in rows:
        rate = f"{r['c_rate']:g}C" if r.get("c_rate") not in ("", None) else "proto"
        q = (f"{r['charge_capacity_mAh_g']:8.1f} {r['discharge_capacity_mAh_g']:9.1f}"
             if r.get("status") == "ok" else f"{'failed':>18s}")
        marks = [numbers.setdefault(n, len(numbers) + 1) for n in case_notes(r)]
        mark = f"  [{','.join(map(str, marks))}]" if marks else ""
        click.echo(f"{r['preset']:16s} {r['binder']:14s} {_num(r.get('binder_content_wt_pct')):>5s} "
                   f"{r['pressure_MPa']:6g} {rate:>6s} {_num(r.get('temperature_C')):>5s} {q}{' ' * 7 if mark else ''}"
                   f"{mark}")
    for note, k in numbers.items():
        click.echo(f"  [{k}] {note}")


def _num(x) -> str:
    """A stored number as the table shows it ('' where the case has none)."""
    return "" if x in ("", None) else f"{float(x):g}"


@main.command(short_help="Redraw the figures of a stored sweep.")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--out-dir", default=None, type=click.Path(file_okay=False), help="Default: beside PATH.")
def plot(path, out_dir):
    """Redraw the figures of a stored sweep."""
    from pathlib import Path

    from .figures import plot_sweep
    from .files import check_writable
    from .store import open_results

    open_results(path)  # a sweep file, else one line
    check_writable(out_dir or Path(path).parent, "--out-dir", folder=True)
    written = plot_sweep(path, out_dir)
    for p in written:
        click.echo(f"figure: {p}")
    if not written:
        click.echo(f"no figure: {path} holds no finished case", err=True)


# `ssbsim data`, `ssbsim characterise`, `ssbsim lopo` and `ssbsim bench` live in their own modules
from .cli_bench import bench  # noqa: E402
from .cli_fit import fit  # noqa: E402
from .cli_lab import characterise, data, lopo  # noqa: E402

main.add_command(fit)
main.add_command(data)
main.add_command(characterise)
main.add_command(lopo)
main.add_command(bench)

if __name__ == "__main__":
    main()
