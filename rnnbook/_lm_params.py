"""The parameter dict of a language model: the cell's arrays plus W_hq (H, V), b_q (V,).

Shared by :mod:`rnnbook.lm` (training, evaluation) and :mod:`rnnbook.lm_generate`
(sampling, beam search).
"""
from __future__ import annotations

from ._validation import check_array, check_choice, check_params
from .cells import CELLS, PARAM_NAMES


def _split(params, cell):
    """The cell's own arrays of a language model's ``params`` (without W_hq, b_q)."""
    return {k: params[k] for k in PARAM_NAMES[cell]}


def _check_params(params, cell):
    """(H, V) of a language model's ``params``: the keys of ``lm_init(cell, ...)``, and
    the output layer's shapes (the cell's own arrays are checked by the cell, or here
    for the fused RNN path, which bypasses it)."""
    check_choice("cell", cell, CELLS)
    check_params(params, PARAM_NAMES[cell] + ("W_hq", "b_q"), f"lm_init({cell!r}, ...)")
    dims = {}
    check_array("params['W_hq']", params["W_hq"], ("H", "V"), dims=dims)
    check_array("params['b_q']", params["b_q"], ("V",), dims=dims)
    if cell == "rnn":
        check_array("params['W_xh']", params["W_xh"], ("V", "H"), dims=dims)
        check_array("params['W_hh']", params["W_hh"], ("H", "H"), dims=dims)
        check_array("params['b_h']", params["b_h"], ("H",), dims=dims)
    return dims["H"], dims["V"]
