"""Record chapter 07's clipping and leak experiments (see :mod:`.remedies_adding`)::

    python -m rnnbook.experiments.clipping_leak --record [--jobs 2]
"""
from .remedies_adding import ALPHAS, CLIP, CLIP_STEPS, LEAK, clipping_specs, leak_specs, main

PARAMS = {"clipping": CLIP | {"steps": list(CLIP_STEPS), "clip": [None, 1.0], "H": 16,
                              "batch": 32, "momentum": 0.9},
          "leak": LEAK | {"alphas": list(ALPHAS), "optimizer": "adam", "lr": 0.01, "H": 16,
                          "batch": 32}}

if __name__ == "__main__":
    main("clipping_leak", clipping_specs() + leak_specs(), PARAMS)
