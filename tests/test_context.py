"""Elman/Jordan classifiers of rnnbook.context: gradients, shapes, training, diagrams."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from rnnbook.context import (context_loss_and_grads, context_predict, init_context_net,  # noqa: E402
                             param_count, recall_run, recall_with_wait)
from rnnbook.gradcheck import numerical_gradient, rel_error  # noqa: E402


@pytest.mark.parametrize("kind", ["elman", "jordan"])
@pytest.mark.parametrize("every_step", [False, True])
def test_context_gradients(kind, every_step):
    rng = np.random.default_rng(0)
    x, t = recall_with_wait(3, 3, rng)
    targets = t if every_step else t[:, -1]
    params = init_context_net(kind, 5, 4, 5, rng)
    loss, grads = context_loss_and_grads(params, x, targets)
    assert set(grads) == set(params)
    for k in params:
        def f(v, k=k):
            p = dict(params)
            p[k] = v
            return context_loss_and_grads(p, x, targets)[0]
        assert rel_error(numerical_gradient(f, params[k], h=1e-5), grads[k]) < 1e-7, k


def test_predict_shapes_and_counts():
    rng = np.random.default_rng(1)
    x, t = recall_with_wait(4, 2, rng)
    assert x.shape == (4, 3, 5) and t.shape == (4, 3) and np.all(t[:, :-1] == 4)
    for kind, count in [("elman", 5 * 6 + 36 + 6 + 6 * 5 + 5), ("jordan", 5 * 6 + 5 * 6 + 6 + 6 * 5 + 5)]:
        p = init_context_net(kind, 5, 6, 5, rng)
        assert param_count(p) == count
        assert context_predict(p, x).shape == (4, 5)
        assert context_predict(p, x, all_steps=True).shape == (4, 3, 5)
    with pytest.raises(ValueError, match="kind"):
        init_context_net("hopfield", 5, 6, 5, rng)


def test_recall_run_learns_short_delay():
    for kind in ["elman", "jordan"]:
        r = recall_run(kind, 2, 8, steps=120)
        assert r["loss"].shape == (120,)
        assert r["accuracy"] > 0.9 and r["loss"][-1] < r["loss"][0]


def test_diagrams_draw():
    import matplotlib.pyplot as plt
    from rnnbook.diagrams import draw_context_network, draw_unrolled
    fig, axes = plt.subplots(1, 5)
    draw_context_network(axes[0], "elman")
    draw_context_network(axes[1], "jordan")
    for ax, pattern in zip(axes[2:], ["hidden", "output", "last"]):
        draw_unrolled(ax, 3, pattern)
    fig.canvas.draw()
    plt.close(fig)
    with pytest.raises(ValueError, match="pattern"):
        draw_unrolled(axes[0], 3, "diagonal")
