"""Isolation in the particle contact law (``contact_law``): particles cut off by their
gap, the layer's cracks and force-chain rearrangement, and the gap-isolated ones
reconnecting as the SE creeps back. Written, as ``contact_law``, on the operations
``exp``, ``fmax``, ``fmin``, ``power`` and ``total`` and on the law's other functions,
which :func:`contact_law.backend` binds (these functions are part of
:data:`contact_law.LAW_FUNCTIONS`; unbound they do not run). Equations: the
``contact_law`` module docstring, **Isolation**."""

# ruff: noqa: F821


def repressed_isolation(z, w, delta_old, delta_new, p):
    """Isolated fraction after the closure of every contact rises from ``delta_old`` to
    ``delta_new`` [m] (re-pressing). The unloaded fraction ``w`` (displaced by
    rearrangement or cut off by the layer's cracks, :func:`isolation_rates`) stays
    isolated; a particle isolated by its gap keeps the gap that cut it off: with
    b = (1 - phi)^Z and phi = (delta + g_s) / (delta + g_s + g), the fraction
    f = (z - w) / (1 - w) of the others was isolated by a mean gap
    g = (delta_old + g_s) q / (1 - q), q = f^(1/Z) (:func:`isolating_gap`); at the new
    closure the same gap isolates b(phi(g, delta_new)) <= f."""
    f = loaded_share(z, w)
    gap, _ = isolating_gap(f, delta_old, p)
    return w + fmax(1.0 - w, 1e-300) * fmin(f, isolation_probability(contact_from_closure(gap, delta_new, p), p))


def loaded_share(x, w):
    """(x - w)+ / (1 - w): the share of a size class's loaded particles (those outside the
    unloaded fraction ``w``) that a fraction ``x`` >= w of the class makes up (the
    gap-isolated ones for x = z, the cracked ones for x = zeta)."""
    return fmax(x - w, 0.0) / fmax(1.0 - w, 1e-300)


def isolating_gap(f, delta, p):
    """(g, q): the mean gap g [m] at which the share ``f`` of a size class's load-bearing
    particles has lost all Z contacts at closure ``delta`` [m], b(phi(g)) = f inverted,
    g = (delta + g_s) q / (1 - q), q = f^(1/Z)."""
    q = fmin(power(fmax(f, 0.0), 1.0 / p.coordination_number), 1.0 - 1e-12)
    return (delta + p.gap_regularisation_m) * q / (1.0 - q), q


def creep_reconnection_rate(p, z, w, delta, v_cr):
    """Rate [s-1] at which particles isolated by their gap reconnect as the SE creeps
    into it: (z - w) k_rec (:func:`reconnection_rate_constant`)."""
    return fmax(z - w, 0.0) * reconnection_rate_constant(p, z, w, delta, v_cr)


def reconnection_rate_constant(p, z, w, delta, v_cr):
    """k_rec [s-1]: a particle whose Z contacts opened as it shrank keeps its load-bearing
    seat; the stack load still presses the SE around it, which creeps into the gap as
    into any other (dg/dt = -v_cr g / (g + g_s), :func:`particle_rates`). The
    gap-isolated share f = (z - w) / (1 - w) of the class's load-bearing particles sits
    at the mean gap g_f that isolates that share (:func:`isolating_gap`), so
    df/dt = (db/dg)(g_f) dg_f/dt with db/dg = Z q^(Z-1) (1 - q)^2 / (delta + g_s),
    q = f^(1/Z), which is -(1 - w) df/dt = (z - w) k with k = Z (1 - q) v_cr / (g_f + g_s).
    A particle reconnects no faster than the latch isolates (r_iso, the model's 'fast'):
    k_rec = k r_iso / (k + r_iso); k grows without bound as g_f falls below g_s, a
    stiffness with no physics in it (the isolated share is then ~0 anyway). The unloaded
    particles ``w`` carry no load (granular 'rattlers', displaced out of the force chains)
    and do not reconnect."""
    gap, q = isolating_gap(loaded_share(z, w), delta, p)
    k = p.coordination_number * (1.0 - q) * v_cr / (gap + p.gap_regularisation_m)
    return k * p.isolation_rate_s / (k + p.isolation_rate_s)


def rearrangement_rate(p, b, z, s_rate, chi):
    """Isolation by force-chain rearrangement [s-1]: rho chi |ds/dt| b (1 - z). Breathing
    particles redistribute the stack load among the force chains (granular ratcheting
    under cyclic strain: Alonso-Marroquin, Herrmann, Phys. Rev. Lett. 92 (2004) 054301),
    so each strain swing puts a fresh share b of the connected particles (1 - z) at risk
    of losing every contact. A displaced particle is held in its seat by the binder
    bridges to its neighbours and reseats unless they break: a share rho chi per unit
    radial strain does not reseat, with chi = exp(-Gamma / Gamma_chi) the probability
    that the bridges break (the binder-fracture factor that also lets voids nucleate,
    ``binder_mechanics.void_nucleation_factor``): rho chi |ds/dt| b (1 - z).
    ``s_rate`` is |ds/dt| [s-1] of the connected particles, ``chi`` [-]."""
    return p.rearrangement_per_strain * chi * s_rate * b * (1.0 - z)


def isolation_rates(p, phi, z, w, zeta, s_rate, chi, delta, v_cr):
    """(dz/dt, dw/dt) [s-1] of a size class whose contact fraction is ``phi``: z is its
    isolated fraction, w <= z the unloaded part of it. The latch
    r_iso relu_h(w + (1 - w)(b + zeta' (1 - b)) - z, h_z) with b = (1 - phi)^Z isolates
    the loaded particles whose contacts all opened and those the layer's cracks cut off
    that w does not count yet, zeta' = (zeta - w)+ / (1 - w); the force-chain
    rearrangement (:func:`rearrangement_rate`) displaces particles out of the load path.
    Displaced and crack-isolated particles are unloaded for good,
    dw/dt = r_iso relu_h(zeta - w, h_z) + rearrangement; the gap-isolated rest reconnect
    as the SE creeps into their gap at closure ``delta`` [m] and creep velocity ``v_cr``
    (:func:`creep_reconnection_rate`)."""
    dz, dw = isolation_growth(p, phi, z, w, zeta, s_rate, chi)
    return dz - creep_reconnection_rate(p, z, w, delta, v_cr), dw


def isolation_growth(p, phi, z, w, zeta, s_rate, chi):
    """(dz/dt, dw/dt) [s-1] without the reconnection: the latch and the rearrangement
    (:func:`isolation_rates`)."""
    b = isolation_probability(phi, p)
    moved = rearrangement_rate(p, b, z, s_rate, chi)
    dw = p.isolation_rate_s * relu_h(zeta - w, p.fraction_smoothing) + moved
    # the loaded particles (1 - w): the share b whose contacts opened, and the cracks' share
    # zeta not yet counted in w (w counts them once the cracks have cut them off)
    latch = w + fmax(1.0 - w, 1e-300) * (b + loaded_share(zeta, w) * (1.0 - b))
    return p.isolation_rate_s * relu_h(latch - z, p.fraction_smoothing) + moved, dw
