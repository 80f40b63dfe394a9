"""The worked backpropagation example of chapter 01 (from a Russian backpropagation
tutorial; see the chapter for the citation), as data.

A 2-3-2-1 network of sigmoid units without biases: neurons 1-2 are the inputs,
3-5 the first hidden layer, 6-7 the second, 8 the output. ``w_ij`` is the weight from
neuron i to neuron j, so row i, column j of the weight matrix between two layers.
One training sample: I1 = 0.6, I2 = 0.7, target 0.9; learning rate 0.3, momentum 0.1.
"""
import numpy as np

__all__ = ["WORKED_WEIGHTS", "WORKED_X", "WORKED_TARGET", "WORKED_LR",
           "WORKED_MOMENTUM", "worked_example_params", "LAYERS"]

#: w_ij as printed in the source
WORKED_WEIGHTS = {
    "w13": -1.0, "w23": 1.0, "w14": 2.5, "w24": 0.4, "w15": 1.0, "w25": -1.5,
    "w36": 2.2, "w46": -1.4, "w56": 0.56, "w37": 0.34, "w47": 1.05, "w57": 3.1,
    "w68": 0.75, "w78": -0.22,
}
WORKED_X = np.array([[0.6, 0.7]])
WORKED_TARGET = 0.9
WORKED_LR = 0.3
WORKED_MOMENTUM = 0.1

#: neuron numbers of each layer, input to output
LAYERS = ((1, 2), (3, 4, 5), (6, 7), (8,))


def worked_example_params():
    """The weights as ``{"W1": (2, 3), "W2": (3, 2), "W3": (2, 1)}`` (fresh copies)."""
    params = {}
    for l, (src, dst) in enumerate(zip(LAYERS[:-1], LAYERS[1:]), start=1):
        params[f"W{l}"] = np.array([[WORKED_WEIGHTS[f"w{i}{j}"] for j in dst] for i in src])
    return params
