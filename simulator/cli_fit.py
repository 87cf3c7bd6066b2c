"""``ssbsim fit``: named parameters of a preset fitted to measured points and cycler
curves, optionally from a cycled cell and with an MCMC posterior. Registered on the main
group by :mod:`ssbsim.simulator.cli`."""

from __future__ import annotations

import json

import click

from .cli_choices import MODELS, _triple
from .errors import InputError


@click.command(short_help="Fit parameters to measured points or a cycler curve.")
@click.option("--preset", required=True, help="Preset whose parameters are fitted.")
@click.option("--data", "data_path", default=None, type=click.Path(dir_okay=False),
              help="CSV of measured points (layout of calibration_points.csv).")
@click.option("--cycler", "cycler_paths", multiple=True, type=click.Path(dir_okay=False),
              help="Cycler file (CSV, BioLogic .mpr/.mpt, Neware .nda/.ndax, Arbin .res), fitted as a voltage "
                   "curve under its measured current; repeatable, each with its --cycler-pressure (joint fit).")
@click.option("--cycler-columns", default="time,current,voltage", show_default=True,
              help="Column names for time, current, voltage.")
@click.option("--cycler-units", default="s,A,V", show_default=True, help="Units: s|min|h, A|mA, V|mV.")
@click.option("--charge-positive", is_flag=True, help="The cycler counts charge current as positive.")
@click.option("--voltage-sigma", default=0.005, show_default=True, help="Voltage uncertainty [V].",
              type=click.FloatRange(min=0, min_open=True))
@click.option("--cycler-pressure", "cycler_pressures", multiple=True, type=float,
              help="Stack pressure of each --cycler run [MPa], in the same order.")
@click.option("--cycler-binder", "cycler_binders", multiple=True, help="Binder of the --cycler runs (one, or one each).")
@click.option("--source", default=None, help="Use only rows of this source (e.g. Kwon2022).")
@click.option("--param", "param_specs", multiple=True, required=True,
              help='NAME:LOWER:UPPER[:log][:INITIAL], e.g. "Composite framework modulus [Pa]:1e8:1e10:log".')
@click.option("--binder-alias", "aliases", multiple=True, help="DATA_NAME=PRESET_BINDER, e.g. 'BR (pristine)=pristine'.")
@click.option("--model", default=None, type=MODELS,
              help="DFN, SPMe or SPM [default: the cheapest within 2 % of the DFN for the preset].")
@click.option("--starts", default=3, show_default=True, type=click.IntRange(min=1),
              help="Multi-start: given start + Latin hypercube.")
@click.option("--start-after-cycles", default=0, show_default=True, type=int, metavar="N",
              help="Paper cycles (the preset's cycle and C-rate) run before each fitted experiment, 0-100; "
                   "points are then those of the next cycle.")
@click.option("--posterior", "posterior_steps", default=None, type=int, metavar="N",
              help="After the fit, an MCMC posterior of N steps per walker (10-100000; needs ssbsim[posterior]).")
@click.option("--noise-sigma", default=None, type=click.FloatRange(min=0, min_open=True),
              help="Posterior noise scale in units of the residual [default: estimated from the fit].")
@click.option("--walkers", default=None, type=int, help="Posterior walkers [default: 4 x parameters, at least 8].")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the multi-start and the posterior chain.")
@click.option("--out", default="results/fit_parameters.json", show_default=True, type=click.Path(dir_okay=False),
              help="Parameter file of the fitted values (for simulate/sweep --params).")
@click.option("--figure", default=None, type=click.Path(dir_okay=False), help="Fit-vs-data PNG.")
@click.option("--posterior-figure", default=None, type=click.Path(dir_okay=False),
              help="Corner PNG of the posterior samples (with --posterior).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: values, intervals, residuals.")
def fit(preset, data_path, cycler_paths, cycler_columns, cycler_units, charge_positive, voltage_sigma,
        cycler_pressures, cycler_binders, source, param_specs, aliases, model, starts, start_after_cycles,
        posterior_steps, noise_sigma, walkers, seed, out, figure, posterior_figure, as_json):
    """Fit parameters of a preset to measured points and/or cycler curves; writes a
    parameter file (with the intervals, residuals and any posterior as its meta)."""
    from .cycled_start import check_start_cycles
    from .cycler_files import load_series
    from .files import check_writable
    from .fitting import FitParameter, check_fit_parameters, fit as run_fit, load_points, plot_fit
    from .presets import get_preset, recommended_model
    from .simulation import parameter_values, resolve_conditions

    if not data_path and not cycler_paths:
        raise InputError("give --data (measured points) and/or --cycler (a voltage curve)")
    bad = [a for a in aliases if "=" not in a]
    if bad:
        raise InputError(f"--binder-alias {bad[0]!r} must be DATA_NAME=PRESET_BINDER")
    params = [FitParameter.parse(s) for s in param_specs]
    check_start_cycles(start_after_cycles, "--start-after-cycles")
    _check_posterior_options(posterior_steps, walkers, noise_sigma, posterior_figure, len(params))
    model = model or recommended_model(preset)  # the cheapest within 2 % of the DFN for the cell
    check_fit_parameters(preset, params, model)  # names and bounds before reading or solving
    for path, option in ((out, "--out"), (figure, "--figure"), (posterior_figure, "--posterior-figure")):
        if path:
            check_writable(path, option)
    alias_map = get_preset(preset).binder_aliases | dict(a.split("=", 1) for a in aliases)  # the user's win
    skipped = {}
    points = load_points(data_path, source=source, binder_aliases=alias_map, skipped=skipped) if data_path else []
    if skipped:
        click.echo(f"note: {sum(skipped.values())} row(s) of {data_path} skipped, of quantities the fit does not "
                   f"read: {', '.join(f'{q} ({n})' for q, n in skipped.items())}", err=True)
    series = []
    if len(cycler_pressures) != len(cycler_paths):
        raise InputError(f"{len(cycler_paths)} --cycler file(s) need as many --cycler-pressure values (the stack "
                         f"pressure [MPa] of each run, no default is assumed); got {len(cycler_pressures)}")
    if len(cycler_binders) not in (0, 1, len(cycler_paths)):
        raise InputError(f"--cycler-binder: give one binder for all --cycler runs or one each ({len(cycler_paths)})")
    for k, (path, pressure) in enumerate(zip(cycler_paths, cycler_pressures)):
        binder = cycler_binders[min(k, len(cycler_binders) - 1)] if cycler_binders else None
        cond = {"pressure": pressure} | ({"binder": binder} if binder else {})
        capacity = parameter_values(resolve_conditions(preset, model=model, **cond))["Nominal cell capacity [A.h]"]
        ts = load_series(path, _triple(cycler_columns, "--cycler-columns"), _triple(cycler_units, "--cycler-units"),
                         charge_positive, capacity)
        series.append((cond, ts, voltage_sigma))
    result = run_fit(preset, points, params, model=model, starts=starts, seed=seed, series=series,
                     start_after_cycles=start_after_cycles, posterior=posterior_steps, noise_sigma=noise_sigma,
                     walkers=walkers)
    result.save(out, preset)
    if figure:
        plot_fit(result, figure)
    if posterior_figure:
        from .posterior import plot_posterior

        plot_posterior(result, posterior_figure)
    if as_json:
        click.echo(json.dumps(result.to_dict(), allow_nan=False))
        return
    for line in result_lines(result, model, preset, start_after_cycles):
        click.echo(line)
    for line in _posterior_lines(result.posterior):
        click.echo(line)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"parameters written to {out}")


def result_lines(result, model, preset, start_after_cycles=0) -> list[str]:
    """The printed fit: parameters with their 95 % intervals, each data point's residual,
    each curve's voltage RMSE."""
    after = f", after {start_after_cycles} paper cycle(s)" if start_after_cycles else ""
    lines = [f"fitted with the {model} ({preset}{after})"]
    lines += [f"{name} = {value:.4g}  (95 % interval {result.ci95[name][0]:.4g} - {result.ci95[name][1]:.4g})"
              for name, value in result.parameters.items()]
    for r in result.residuals:
        if r["quantity"] == "voltage RMSE [V]":  # a curve: its RMSE, not a 'measured 0'
            lines.append(f"  {r['where']}: voltage RMSE {1e3 * r['model']:.3g} mV")
        else:
            lines.append(f"  {r['where']}: measured {r['measured']:.4g}, model {r['model']:.4g}, "
                         f"residual {r['residual']:+.3g}")
    return lines


def _check_posterior_options(steps, walkers, noise_sigma, figure, n_parameters):
    """The posterior's options before anything is read or solved: N, walkers and noise
    scale in range, the options that need --posterior given with it, the sampler installed."""
    if steps is None:
        given = [o for o, v in (("--walkers", walkers), ("--noise-sigma", noise_sigma),
                                ("--posterior-figure", figure)) if v is not None]
        if given:
            raise InputError(f"{given[0]} is an option of the posterior: give --posterior N too")
        return
    from .posterior import check_posterior, require_sampler

    check_posterior(steps, walkers, noise_sigma, n_parameters, cli=True)
    require_sampler()


def _posterior_lines(post) -> list[str]:
    if not post:
        return []
    lines = [f"posterior ({post['sampler']}): {post['samples']} samples, {post['walkers']} walkers x "
             f"{post['steps']} steps ({post['burn_in']} burn-in), seed {post['seed']}, acceptance "
             f"{post['acceptance_fraction']:.2f}, noise sigma {post['noise_sigma']:.3g} ({post['noise_sigma_source']})"]
    for name, s in post["parameters"].items():
        lines.append(f"  {name}: median {s['median']:.4g}, mean {s['mean']:.4g} +- {s['std']:.3g}, "
                     f"95 % {s['q2.5']:.4g} - {s['q97.5']:.4g}")
    tau = post["autocorrelation_time_steps"]
    lines.append(f"  autocorrelation time {', '.join(f'{t:.3g}' for t in tau)} steps" if tau
                 else f"  {post['autocorrelation_note']}")
    return lines
