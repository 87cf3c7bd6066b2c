"""The posterior of a fit's parameters by MCMC (emcee's affine-invariant ensemble sampler).

After the least-squares fit (:func:`~ssbsim.simulator.fitting.fit`), the same residual
vector r(u) that it minimised (``residual_problem(...).residuals``: (model - measured) /
sigma of every point and cycler sample, 1e3 where a solve failed) defines a Gaussian
likelihood with a noise scale s in units of the residual,

    log L(u) = -0.5 sum(r(u)^2) / s^2,

where s is either given or estimated from the least-squares optimum as
sqrt(sum(r^2) / (m - n)) (m residuals, n parameters; s = 1 means the data's own
uncertainties are right). The prior is uniform within the ``--param`` bounds in the fit's
coordinates u (log10 where a parameter is fitted in log). The walkers start in a Gaussian
ball around the optimum with the least-squares standard errors, within the bounds; the
first half of each chain is discarded as burn-in. Seeded: the same seed gives the same
chain. emcee is an optional dependency (``pip install 'ssbsim[posterior]'``), imported
only here and only when a posterior is asked for.
"""

from __future__ import annotations

import importlib
import math

import numpy as np

from .errors import InputError, check_count, check_range

#: MCMC steps of each walker (--posterior N).
POSTERIOR_STEPS_RANGE = (10, 100_000)
#: An integrated autocorrelation time is reported when the kept chain is at least this
#: many times longer (emcee's default tolerance).
AUTOCORR_TOLERANCE = 50
INSTALL = "pip install 'ssbsim[posterior]'"


def require_sampler():
    """The ``emcee`` module, or a one-line InputError naming the extra to install."""
    try:
        return importlib.import_module("emcee")
    except ImportError:
        raise InputError(f"--posterior needs the optional extra 'posterior' (the MCMC sampler emcee): "
                         f"{INSTALL}") from None


def check_posterior(steps, walkers=None, noise_sigma=None, n_parameters=1, cli=False):
    """InputError naming the option, its value and the allowed range for a number of
    steps outside :data:`POSTERIOR_STEPS_RANGE`, too few or too many walkers (2n, at
    least 4, to 1000), or a noise scale that is not a positive number; ``cli``: the
    options by their command-line names."""
    name = (lambda o: "--" + o.replace("_", "-")) if cli else (lambda o: o)
    check_count(name("posterior"), steps, *POSTERIOR_STEPS_RANGE, note="(MCMC steps per walker)")
    if walkers is not None:
        check_count(name("walkers"), walkers, max(4, 2 * n_parameters), 1000,
                    where=f"for {n_parameters} parameter(s)")
    if noise_sigma is not None:
        check_range(name("noise_sigma"), noise_sigma, 1e-12, 1e12, "(units of the residual)")


def sample_posterior(prob, parameters, result, steps: int, *, walkers=None, noise_sigma=None, seed=0):
    """Sample the posterior of ``parameters`` around the least-squares ``result``.

    ``prob`` is the fit's :func:`~ssbsim.simulator.fitting.residual_problem`; ``walkers``
    defaults to max(8, 4n). Returns (summary dict, samples in model units with shape
    (kept samples, n)); the summary holds per parameter the mean, standard deviation and
    2.5 / 50 / 97.5 % quantiles, the acceptance fraction, the integrated
    autocorrelation time or why there is none, the numbers of steps, burn-in, walkers
    and samples, the seed, and the noise scale with where it came from.
    """
    emcee = require_sampler()
    n = len(parameters)
    walkers = walkers or max(8, 4 * n)
    check_posterior(steps, walkers, noise_sigma, n)
    lo = np.array([p.to_u(p.lower) for p in parameters])
    hi = np.array([p.to_u(p.upper) for p in parameters])
    u_best = np.array([p.to_u(result.parameters[p.name]) for p in parameters])
    r_best = prob.residuals(u_best)
    m = r_best.size
    if noise_sigma is None:
        if m <= n or not float(r_best @ r_best) > 0:
            raise InputError(f"the posterior's noise scale cannot be estimated from {m} residual(s) for {n} "
                             f"parameter(s) (sum r^2 = {float(r_best @ r_best):.3g}): give noise_sigma "
                             "(--noise-sigma, units of the residual; 1 takes the data's uncertainties as given)")
        s = math.sqrt(float(r_best @ r_best) / (m - n))
        source = f"estimated from the least-squares residual: sqrt(sum(r^2) / (m - n)), m = {m}, n = {n}"
    else:
        s, source = float(noise_sigma), "given"
    start_evaluations = prob.n_evaluations

    def log_probability(u):
        if np.any(u < lo) or np.any(u > hi):
            return -np.inf
        r = prob.residuals(u)
        return -0.5 * float(r @ r) / s ** 2

    rng = np.random.default_rng(seed)
    scale = np.array([_standard_error_u(p, result) for p in parameters])
    scale = np.clip(scale * s / max(_ls_noise(result, m, n), 1e-300), 1e-6 * (hi - lo), 0.25 * (hi - lo))
    start = u_best + scale * rng.standard_normal((walkers, n))
    start = np.where(start < lo, 2 * lo - start, np.where(start > hi, 2 * hi - start, start))  # reflected
    start = np.clip(start, lo + 1e-9 * (hi - lo), hi - 1e-9 * (hi - lo))
    sampler = emcee.EnsembleSampler(walkers, n, log_probability)
    sampler.random_state = np.random.RandomState(seed).get_state()
    sampler.run_mcmc(start, steps, progress=False)
    burn = steps // 2
    chain_u = sampler.get_chain(discard=burn, flat=True)
    samples = np.column_stack([[p.from_u(x) for x in chain_u[:, k]] for k, p in enumerate(parameters)])
    tau, note = _autocorrelation(emcee, sampler, burn, steps - burn)
    summary = {
        "sampler": f"emcee {emcee.__version__} EnsembleSampler (stretch move)",
        "likelihood": "Gaussian on the least-squares residuals (model - measured) / sigma, "
                      "log L = -0.5 sum(r^2) / noise_sigma^2",
        "prior": "uniform within the --param bounds, in the fit's coordinates (log10 where log)",
        "noise_sigma": s, "noise_sigma_source": source,
        "steps": steps, "burn_in": burn, "walkers": walkers, "samples": int(samples.shape[0]), "seed": seed,
        "acceptance_fraction": float(np.mean(sampler.acceptance_fraction)),
        "autocorrelation_time_steps": tau, "autocorrelation_note": note,
        "evaluations": prob.n_evaluations - start_evaluations,
        "parameters": {p.name: _stats(samples[:, k]) | {"scale": "log10" if p.log else "linear"}
                       for k, p in enumerate(parameters)},
    }
    return summary, samples


def _standard_error_u(p, result) -> float:
    """The least-squares standard error of ``p`` in u, from its 95 % interval."""
    lo, hi = result.ci95[p.name]
    return (p.to_u(hi) - p.to_u(lo)) / (2 * 1.96)


def _ls_noise(result, m, n) -> float:
    """The noise scale the least-squares intervals assumed: sqrt of the reduced chi-square
    where it exceeds 1, else 1."""
    return math.sqrt(max(2 * result.cost / max(m - n, 1), 1.0))


def _stats(x) -> dict:
    q = np.quantile(x, [0.025, 0.5, 0.975])
    return {"mean": float(np.mean(x)), "std": float(np.std(x, ddof=1)), "q2.5": float(q[0]),
            "median": float(q[1]), "q97.5": float(q[2])}


def _autocorrelation(emcee, sampler, burn, kept):
    """(integrated autocorrelation time per parameter [steps] or None, a note)."""
    try:
        tau = sampler.get_autocorr_time(discard=burn, tol=AUTOCORR_TOLERANCE)
    except emcee.autocorr.AutocorrError as e:
        est = ", ".join(f"{t:.3g}" for t in np.atleast_1d(e.tau))
        return None, (f"the chain is too short for an integrated autocorrelation time: {kept} kept steps are "
                      f"fewer than {AUTOCORR_TOLERANCE} times the current estimate ({est} steps); "
                      "run more steps")
    return [float(t) for t in tau], f"kept chain of {kept} steps >= {AUTOCORR_TOLERANCE} autocorrelation times"


def plot_posterior(result, path):
    """Corner figure of ``result.posterior_samples``: histograms on the diagonal, pairs
    below it, the least-squares values marked; log axes for parameters fitted in log whose
    samples span more than a factor 3."""
    from matplotlib.figure import Figure

    names = list(result.posterior["parameters"])
    x, n = result.posterior_samples, len(names)
    logs = [result.posterior["parameters"][name]["scale"] == "log10" and x[:, k].min() > 0
            and x[:, k].max() > 3 * x[:, k].min() for k, name in enumerate(names)]
    fig = Figure(figsize=(2.6 * n + 1, 2.6 * n + 0.5))
    axes = fig.subplots(n, n, squeeze=False)
    for i in range(n):
        for j in range(n):
            ax = axes[i, j]
            if j > i:
                ax.set_axis_off()
                continue
            if i == j:
                bins = np.geomspace(x[:, i].min(), x[:, i].max(), 30) if logs[i] else 30
                ax.hist(x[:, i], bins=bins, color="0.5")
                ax.axvline(result.parameters[names[i]], color="C3", lw=1)
            else:
                ax.plot(x[:, j], x[:, i], ".", ms=1.5, alpha=0.4, color="0.3")
                ax.plot(result.parameters[names[j]], result.parameters[names[i]], "x", color="C3")
                ax.set_yscale("log" if logs[i] else "linear")
            ax.set_xscale("log" if logs[j] else "linear")
            if i == n - 1:
                ax.set_xlabel(names[j], fontsize=7)
            if j == 0 and i > 0:
                ax.set_ylabel(names[i], fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle(f"posterior: {result.posterior['samples']} samples, {result.posterior['walkers']} walkers "
                 f"(red: least squares)", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
