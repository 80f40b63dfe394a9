"""Record chapter 07's sweep of the remedies over sequence lengths (see
:mod:`.remedies_adding`)::

    python -m rnnbook.experiments.remedies_sweep --record [--jobs 2]
"""
from ..remedies import VARIANTS
from .remedies_adding import SWEEP_STEPS, SWEEP_TS, main, sweep_specs

PARAMS = {"Ts": list(SWEEP_TS), "steps": SWEEP_STEPS, "variants": dict(VARIANTS),
          "optimizer": "adam", "lr": 0.01, "H": 16, "batch": 32, "n_test": 1000}

if __name__ == "__main__":
    main("remedies_sweep", sweep_specs(), PARAMS)
