"""Tests of rnnbook.esn: reservoir scaling, echo state property, ridge readout."""
import numpy as np
import pytest

from rnnbook.dynamics import spectral_radius
from rnnbook.esn import (echo_state_distance, esn_fit, esn_init, esn_predict, esn_states,
                         nrmse, ridge_readout)
from rnnbook.tasks import narma10


def test_reservoir_spectral_radius_and_density():
    p = esn_init(2, 50, np.random.default_rng(0), rho=0.8, density=0.2)
    assert spectral_radius(p["W"]) == pytest.approx(0.8, rel=1e-8)
    assert 0.1 < np.mean(p["W"] != 0) < 0.3
    assert p["W_in"].shape == (2, 50) and p["b"].shape == (50,)


def test_esn_forgets_initial_state_when_rho_small():
    rng = np.random.default_rng(1)
    p = esn_init(1, 40, rng, rho=0.5)
    u = rng.uniform(-1, 1, (1, 100, 1))
    ha, hb = rng.uniform(-1, 1, (2, 1, 40))
    dist = echo_state_distance(p, u, ha, hb)
    assert dist[0, 0] > 0.1
    assert dist[0, -1] < 1e-12


def test_esn_large_rho_keeps_initial_state_without_input():
    rng = np.random.default_rng(2)
    p = esn_init(1, 40, rng, rho=1.5)
    u = np.zeros((1, 200, 1))
    ha, hb = rng.uniform(-1, 1, (2, 1, 40))
    assert echo_state_distance(p, u, ha, hb)[0, -1] > 0.1


def test_ridge_readout_recovers_linear_map():
    rng = np.random.default_rng(3)
    S = rng.standard_normal((500, 6))
    W = rng.standard_normal((6, 2))
    Y = S @ W + np.array([0.5, -1.0])
    W_out, b_out = ridge_readout(S, Y, ridge=0.0)
    assert np.allclose(W_out, W) and np.allclose(b_out, [0.5, -1.0])


def test_esn_learns_narma10():
    rng = np.random.default_rng(4)
    u, y = narma10(2200, rng)
    p = esn_init(1, 100, rng, rho=0.9, input_scaling=0.5)
    U, Y = u[None, :, None], y[None, :, None]
    W_out, b_out = esn_fit(p, U[:, :1600], Y[:, :1600], washout=200, ridge=1e-8)
    pred = esn_predict(p, U, W_out, b_out)
    err = nrmse(pred[:, 1600:], Y[:, 1600:])
    assert err < 0.6          # clearly better than predicting the mean (NRMSE 1)


def test_esn_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"^rho\b"):
        esn_init(1, 5, rng, rho=-1)
    with pytest.raises(ValueError, match=r"^density\b"):
        esn_init(1, 5, rng, density=0.0)
    p = esn_init(1, 5, rng)
    with pytest.raises(ValueError, match=r"^u\b"):
        esn_states(np.zeros((1, 4, 2)), p)
    with pytest.raises(ValueError, match=r"^alpha\b"):
        esn_states(np.zeros((1, 4, 1)), p, alpha=1.0)
    with pytest.raises(ValueError, match=r"^washout\b"):
        esn_fit(p, np.zeros((1, 4, 1)), np.zeros((1, 4, 1)), washout=4)
    with pytest.raises(ValueError, match=r"^params\b"):
        esn_states(np.zeros((1, 4, 1)), {"W": 1})
