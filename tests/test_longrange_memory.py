"""rnnbook.memory (exact state Jacobians) and rnnbook.longrange (task runs, criteria)."""
import numpy as np
import pytest

from rnnbook import longrange as lr
from rnnbook.gru import gru_forward
from rnnbook.lstm import lstm_forward
from rnnbook.memory import hidden_jacobian_norms
from rnnbook.models import init_params
from rnnbook.rnn import rnn_forward


def fd_jacobian_norm(cell, p, x, k, of="h", eps=1e-6):
    """||d h_{T-1} / d state_k||_2 by finite differences (state_k = h_k or c_k)."""
    T, D = x.shape
    H = p["W_hh"].shape[0]

    def last(perturb):
        # run steps 0..k, perturb the state after step k, run the rest
        h = np.zeros((1, H))
        c = np.zeros((1, H))
        if k >= 0:
            if cell == "lstm":
                hs, cache = lstm_forward(x[None, :k + 1], h, p["W_xh"], p["W_hh"], p["b"], c)
                h, c = hs[:, -1], cache.c[:, -1]
            elif cell == "gru":
                h = gru_forward(x[None, :k + 1], h, p["W_xh"], p["W_hh"], p["b_xh"],
                                p["b_hh"])[0][:, -1]
            else:
                h = rnn_forward(x[None, :k + 1], h, p["W_xh"], p["W_hh"], p["b_h"])[0][:, -1]
        if of == "h":
            h = h + perturb
        else:
            c = c + perturb
        rest = x[None, k + 1:]
        if cell == "lstm":
            return lstm_forward(rest, h, p["W_xh"], p["W_hh"], p["b"], c)[0][0, -1]
        if cell == "gru":
            return gru_forward(rest, h, p["W_xh"], p["W_hh"], p["b_xh"], p["b_hh"])[0][0, -1]
        return rnn_forward(rest, h, p["W_xh"], p["W_hh"], p["b_h"])[0][0, -1]

    J = np.empty((H, H))
    for j in range(H):
        e = np.zeros((1, H))
        e[0, j] = eps
        J[:, j] = (last(e) - last(-e)) / (2 * eps)
    return np.linalg.norm(J, 2)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_jacobian_norms_match_finite_differences(cell):
    T, D, H = 6, 3, 4
    p = init_params(cell, D, H, 1, np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((T, D))
    r = hidden_jacobian_norms(cell, p, x)
    assert r["gap"].tolist() == list(range(1, T + 1))
    for k in (T - 2, 2, 0):                      # gap = T-1-k
        gap = T - 1 - k
        assert abs(r["h"][gap - 1] - fd_jacobian_norm(cell, p, x, k)) < 1e-7
        if cell == "lstm":
            assert abs(r["c"][gap - 1] - fd_jacobian_norm(cell, p, x, k, of="c")) < 1e-7


def test_criteria():
    y = np.array([[0.5], [0.7]])
    assert lr.correct("adding", np.array([[0.53], [0.75]]), y).tolist() == [True, False]
    logits = np.log(np.array([[0.75, 0.1, 0.1, 0.05], [0.6, 0.2, 0.1, 0.1]]))
    assert lr.correct("temporal_order", logits, np.array([0, 0])).tolist() == [True, False]
    assert lr.correct("delayed_recall", logits, np.array([0, 1])).tolist() == [True, False]


def test_run_task_and_table():
    r = lr.run_task("delayed_recall", "gru", 4, steps=20, eval_every=10, n_eval=64)
    assert r["curve_steps"].tolist()[-1] == r["steps_to_solve"] or not r["solved"]
    assert 0 <= r["final"] <= 1 and set(r["params"]) >= {"W_xh", "W_hq"}
    res = lr.sweep({"delayed_recall": (3,)}, {"delayed_recall": 20}, cells=("rnn",),
                   eval_every=10, n_eval=32)
    rows = lr.results_table(res)
    assert rows[0][:3] == ("delayed_recall", 3, "rnn") and "params" not in res[0]
    again = lr.sweep({"delayed_recall": (3,)}, {"delayed_recall": 20}, cells=("rnn",),
                     done=res)
    assert again == res


def test_bad_arguments():
    with pytest.raises(ValueError, match="^task "):
        lr.run_task("copy", "rnn", 5)
    with pytest.raises(ValueError, match="^cell "):
        lr.run_task("adding", "elman", 10)
    with pytest.raises(ValueError, match="^cell "):
        hidden_jacobian_norms("elman", {}, np.zeros((3, 2)))
