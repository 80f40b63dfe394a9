"""Echo state networks: a fixed random reservoir and a trained linear readout.

Reservoir (never trained), with leak alpha as in :mod:`rnnbook.leaky`:

    h_t = alpha h_{t-1} + (1 - alpha) tanh(u_t W_in + h_{t-1} W + b)

W is drawn with a chosen spectral radius rho and W_in with a chosen input scaling.
Only the readout y_t = h_t W_out + b_out is learned, by ridge regression on the states
after a washout (Jaeger 2001; Lukosevicius 2012, "A practical guide to applying echo
state networks"):

    [W_out; b_out] = (S^T S + ridge I)^{-1} S^T Y,   S = [states, 1].

Echo state property: the state must be a function of the input history only, i.e.
two runs from different initial states converge under the same input.
:func:`echo_state_distance` measures ||h_t^(a) - h_t^(b)||.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_finite_scalar, check_positive_int, check_rng
from .dynamics import scaled_gaussian

__all__ = ["esn_init", "esn_states", "ridge_readout", "esn_fit", "esn_predict",
           "nrmse", "echo_state_distance"]


def esn_init(D, H, rng, rho=0.9, input_scaling=1.0, bias_scaling=0.0, density=1.0):
    """Draw a reservoir.

    Parameters
    ----------
    D, H : int
        Input size and reservoir size.
    rng : numpy.random.Generator
    rho : float
        Spectral radius of W (>= 0).
    input_scaling : float
        W_in is uniform in [-input_scaling, input_scaling].
    bias_scaling : float
        b is uniform in [-bias_scaling, bias_scaling].
    density : float
        Fraction of nonzero entries of W, in (0, 1].

    Returns
    -------
    dict
        ``W_in`` (D, H), ``W`` (H, H) with spectral radius rho, ``b`` (H,).
    """
    D = check_positive_int("D", D)
    H = check_positive_int("H", H)
    rng = check_rng(rng)
    rho = check_finite_scalar("rho", rho, low=0.0)
    input_scaling = check_finite_scalar("input_scaling", input_scaling, low=0.0)
    bias_scaling = check_finite_scalar("bias_scaling", bias_scaling, low=0.0)
    density = check_finite_scalar("density", density, low=0.0, high=1.0)
    if density == 0:
        raise ValueError("density is 0.0; expected a number in (0, 1]")
    W = scaled_gaussian(H, 1.0, rng)
    if density < 1.0:
        W = W * (rng.random((H, H)) < density)
        r = np.max(np.abs(np.linalg.eigvals(W)))
        W = W / r if r > 0 else W
    W = W * rho
    W_in = rng.uniform(-input_scaling, input_scaling, size=(D, H))
    b = rng.uniform(-bias_scaling, bias_scaling, size=H)
    return {"W_in": W_in, "W": W, "b": b}


def _check_params(params):
    if not isinstance(params, dict) or not {"W_in", "W", "b"} <= set(params):
        raise ValueError("params is not a reservoir; expected the dict from esn_init "
                         "with keys 'W_in', 'W', 'b'")
    dims = {}
    W_in = check_array("params['W_in']", params["W_in"], ("D", "H"), dims=dims)
    W = check_array("params['W']", params["W"], ("H", "H"), dims=dims)
    b = check_array("params['b']", params["b"], ("H",), dims=dims)
    return W_in, W, b, dims


def esn_states(u, params, alpha=0.0, h0=None):
    """Run the reservoir.

    Parameters
    ----------
    u : (N, T, D) ndarray
        Inputs.
    params : dict from :func:`esn_init`
    alpha : float
        Leak in [0, 1) (0: no leak).
    h0 : (N, H) ndarray, optional
        Initial state (default zeros).

    Returns
    -------
    h : (N, T, H) ndarray
    """
    W_in, W, b, dims = _check_params(params)
    u = check_array("u", u, ("N", "T", "D"), dims=dims)
    alpha = check_finite_scalar("alpha", alpha, low=0.0, high=1.0)
    if alpha == 1.0:
        raise ValueError("alpha is 1.0; expected a number in [0, 1) (alpha = 1 freezes h)")
    N, T, _ = u.shape
    H = dims["H"]
    h_prev = np.zeros((N, H)) if h0 is None else check_array("h0", h0, ("N", "H"), dims=dims)
    uw = u @ W_in + b
    h = np.empty((N, T, H))
    for t in range(T):
        h_prev = h[:, t] = alpha * h_prev + (1 - alpha) * np.tanh(uw[:, t] + h_prev @ W)
    return h


def ridge_readout(S, Y, ridge=1e-6):
    """Ridge regression with a bias: minimises ||S W_out + b_out - Y||^2 + ridge ||W_out||^2.

    Parameters
    ----------
    S : (M, H) ndarray
        States (rows are time steps, possibly of several sequences).
    Y : (M, V) ndarray
        Targets.
    ridge : float
        Regularisation (>= 0); the bias is not penalised.

    Returns
    -------
    W_out : (H, V) ndarray
    b_out : (V,) ndarray
    """
    S = check_array("S", S, ("M", "H"))
    Y = check_array("Y", Y, (S.shape[0], "V"), note="with M = S.shape[0]")
    ridge = check_finite_scalar("ridge", ridge, low=0.0)
    S1 = np.hstack([S, np.ones((S.shape[0], 1))])
    R = ridge * np.eye(S1.shape[1])
    R[-1, -1] = 0.0
    sol = np.linalg.solve(S1.T @ S1 + R, S1.T @ Y)
    return sol[:-1], sol[-1]


def esn_fit(params, u, y, washout=100, ridge=1e-6, alpha=0.0):
    """States of the reservoir, then a ridge readout fitted on steps >= washout.

    Parameters
    ----------
    params : dict from :func:`esn_init`
    u : (N, T, D) ndarray
    y : (N, T, V) ndarray
        Targets aligned with u.
    washout : int
        Initial steps discarded (the transient from h0), 0 <= washout < T.
    ridge : float
    alpha : float

    Returns
    -------
    W_out : (H, V) ndarray
    b_out : (V,) ndarray
    """
    h = esn_states(u, params, alpha=alpha)
    N, T, H = h.shape
    y = check_array("y", y, (N, T, "V"), note="with N, T of u")
    washout = check_positive_int("washout", washout, minimum=0)
    if washout >= T:
        raise ValueError(f"washout is {washout}; expected an integer in [0, {T - 1}] (< T)")
    S = h[:, washout:].reshape(-1, H)
    return ridge_readout(S, y[:, washout:].reshape(-1, y.shape[-1]), ridge=ridge)


def esn_predict(params, u, W_out, b_out, alpha=0.0):
    """Readout of the reservoir states: (N, T, V) predictions h_t W_out + b_out."""
    h = esn_states(u, params, alpha=alpha)
    dims = {}
    W_out = check_array("W_out", W_out, (h.shape[2], "V"), dims=dims,
                        note="with H of the reservoir")
    b_out = check_array("b_out", b_out, ("V",), dims=dims)
    return h @ W_out + b_out


def nrmse(pred, target):
    """Normalised root mean squared error sqrt(mean((pred - target)^2) / var(target)).

    1.0 is what predicting the mean of the target achieves.
    """
    target = check_array("target", target, tuple(f"d{i}" for i in range(np.ndim(target))))
    pred = check_array("pred", pred, target.shape, note="(the shape of target)")
    return float(np.sqrt(np.mean((pred - target) ** 2) / np.var(target)))


def echo_state_distance(params, u, h0_a, h0_b, alpha=0.0):
    """Distance ||h_t^(a) - h_t^(b)||_2 between two runs that differ only in h0.

    Parameters
    ----------
    params : dict from :func:`esn_init`
    u : (N, T, D) ndarray
        The same input for both runs.
    h0_a, h0_b : (N, H) ndarray
    alpha : float

    Returns
    -------
    dist : (N, T) ndarray
        Tends to 0 when the reservoir has the echo state property for this input.
    """
    runs = []
    for name, h0 in (("h0_a", h0_a), ("h0_b", h0_b)):
        try:
            runs.append(esn_states(u, params, alpha=alpha, h0=h0))
        except ValueError as exc:
            if str(exc).startswith("h0 "):
                raise ValueError(name + str(exc)[2:]) from None
            raise
    ha, hb = runs
    return np.linalg.norm(ha - hb, axis=-1)
