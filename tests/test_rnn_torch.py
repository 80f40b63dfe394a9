"""Parity of rnnbook.rnn with torch.nn.RNN (float64): outputs and every gradient."""
import numpy as np
import pytest

from rnnbook.gradcheck import rel_error
from rnnbook.rnn import rnn_backward, rnn_forward

torch = pytest.importorskip("torch")


def torch_rnn(x, h0, W_xh, W_hh, b_h, dh, nonlinearity):
    """Run torch.nn.RNN with our weights; return h and the gradients of sum(dh * h)."""
    torch.set_default_dtype(torch.float64)
    D, H = W_xh.shape
    rnn = torch.nn.RNN(D, H, nonlinearity=nonlinearity, batch_first=True)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(W_xh.T))
        rnn.weight_hh_l0.copy_(torch.from_numpy(W_hh.T))
        rnn.bias_ih_l0.copy_(torch.from_numpy(0.3 * b_h))     # any split with
        rnn.bias_hh_l0.copy_(torch.from_numpy(0.7 * b_h))     # bias_ih + bias_hh = b_h
    xt = torch.from_numpy(x).requires_grad_()
    h0t = torch.from_numpy(h0)[None].clone().requires_grad_()
    out, _ = rnn(xt, h0t)
    (out * torch.from_numpy(dh)).sum().backward()
    db = rnn.bias_ih_l0.grad.numpy()
    assert np.allclose(db, rnn.bias_hh_l0.grad.numpy(), rtol=1e-12, atol=1e-14)
    return (out.detach().numpy(), xt.grad.numpy(), h0t.grad[0].numpy(),
            rnn.weight_ih_l0.grad.numpy().T, rnn.weight_hh_l0.grad.numpy().T, db)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("shape", [(3, 7, 4, 5), (1, 1, 1, 1), (2, 12, 3, 1), (1, 5, 2, 6)])
def test_parity_with_torch_rnn(nonlinearity, shape):
    N, T, D, H = shape
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    W_xh = 0.6 * rng.standard_normal((D, H))
    W_hh = 0.6 * rng.standard_normal((H, H)) / np.sqrt(H)
    b_h = 0.1 * rng.standard_normal(H)
    dh = rng.standard_normal((N, T, H))
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, nonlinearity)
    ours = (h,) + rnn_backward(dh, cache)
    theirs = torch_rnn(x, h0, W_xh, W_hh, b_h, dh, nonlinearity)
    names = ["h", "dx", "dh0", "dW_xh", "dW_hh", "db_h"]
    for name, a, b in zip(names, ours, theirs):
        assert a.shape == b.shape, name
        assert rel_error(a, b) < 1e-8, (name, rel_error(a, b))
