"""The exercise checker: accepts right solutions, names typical mistakes, never crashes."""
import copy
import time

import numpy as np
import pytest

import rnnbook.exercises as ex
from rnnbook.exercises import check
from rnnbook.exercises._check import SEED
from rnnbook.exercises._spec import REGISTRY

from exercise_mistakes import CORRECT, MISTAKES

NAMES = sorted(REGISTRY)


def flat(report):
    """The report's text with its line wrapping undone."""
    return " ".join(str(report).split())


def test_every_exercise_has_fixtures():
    assert set(CORRECT) == set(REGISTRY) == set(MISTAKES)
    rows = ex.list()
    assert sorted(row[0] for row in rows) == NAMES
    assert [row[1] for row in rows] == sorted(row[1] for row in rows)


def test_list_shows_signatures_in_the_books_letters():
    text, page = str(ex.list()), ex.list()._repr_html_()
    assert "rnn_step_backward(dh, x, h_prev, W_xh, W_hh, b_h)" in text
    assert "inputs: dh (N, H), x (N, D)" in text and "W_xh (D, 4H)" in text
    assert "clip_by_global_norm(grads, max_norm) -> (clipped, norm)" in text
    assert "<table>" in page and "(N, T, 2H)" in page


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes_and_says_so(name):
    r = check(name, None)
    assert r.passed and r.used_reference, str(r)
    assert "reference solution" in str(r) and "reference solution" in r._repr_html_()
    assert str(r) == str(check(name, None))           # deterministic text for nbval


@pytest.mark.parametrize("name", NAMES)
def test_readers_right_solution_passes(name):
    r = check(name, CORRECT[name])
    assert r.passed and not r.used_reference and not r.diagnoses and not r.hints, str(r)


@pytest.mark.parametrize("name,fn,code", [(n, f, c) for n in NAMES for f, c in MISTAKES[n]],
                         ids=lambda v: getattr(v, "__name__", v))
def test_typical_mistake_is_diagnosed(name, fn, code):
    r = check(name, fn)
    assert not r.passed
    assert r.diagnoses and r.diagnoses[0] == code, str(r)
    assert r.hints and len(r.hints) == 1, str(r)     # the first rung of the ladder only


@pytest.mark.parametrize("name", NAMES)
def test_variants_differ_from_reference(name):
    """Each mistake variant really changes an output in some input case (else it could
    never be diagnosed)."""
    e = REGISTRY[name]

    def as_tuple(out):
        return out if isinstance(out, tuple) else (out,)

    cases = e.cases(np.random.default_rng(SEED))
    for code, v in e.variants.items():
        assert any(any(np.shape(o) != np.shape(r) or not np.allclose(o, r)
                       for o, r in zip(as_tuple(v(*[copy.deepcopy(inp[a]) for a in e.args])),
                                       as_tuple(e.reference(**copy.deepcopy(inp)))))
                   for _, inp in cases), code


def test_hint_ladder_grows_and_never_repeats():
    from exercise_mistakes import bptt_no_carry
    h1, h2, h3 = (check("rnn_backward", bptt_no_carry, hint=k) for k in (1, 2, 3))
    assert len(h1.hints) == 1 and len(h2.hints) == 2
    assert h2.hints[:1] == h1.hints and len(set(h3.hints)) == len(h3.hints)
    assert "hint=2" in flat(h1)


def test_undiagnosed_error_gets_the_exercise_ladder():
    def noisy(*args):
        out = CORRECT["rnn_step_backward"](*args)
        return tuple(o + 0.01 * np.cos(np.arange(o.size)).reshape(o.shape) for o in out)
    r = check("rnn_step_backward", noisy, hint=3)
    assert not r.passed and not r.diagnoses and len(r.hints) == 3


def test_shape_message_uses_the_books_letters():
    from exercise_mistakes import mlp_db_not_summed
    s = str(check("mlp_backward", mlp_db_not_summed))
    assert "got (N, H) = (3, 5); expected (H,) = (5,)" in s


def test_truncation_message_names_the_step():
    from exercise_mistakes import trunc_k_minus_one
    assert "k-1 steps instead of k" in flat(check("truncated_bptt", trunc_k_minus_one))


def test_unknown_name_suggests_close_names():
    r = check("rnn_step_backwrd", CORRECT["rnn_step_backward"])
    assert not r.passed and r.diagnoses == ["unknown_exercise"]
    assert "'rnn_step_backward'" in flat(r)
    r = check(42, None)
    assert not r.passed and "string" in flat(r)


def test_not_callable_and_bad_hint():
    r = check("rnn_step_backward", "my_function")
    assert not r.passed and "your function" in flat(r)
    assert check("rnn_step_backward", None, hint="lots").passed


def test_raising_function_is_reported_with_shapes():
    def broken(*args):
        raise RuntimeError("oops\nsecond line")
    r = check("rnn_step_backward", broken)
    s = " ".join(r.notes)
    assert not r.passed and r.diagnoses == ["raised"]
    assert "RuntimeError: oops" in s and "second line" not in s
    assert "x (N, D) = (3, 4)" in s and "W_hh (H, H) = (5, 5)" in s


def test_wrong_arguments_are_listed():
    r = check("rnn_step_backward", lambda dh, x: None)
    assert r.diagnoses == ["raised"] and "dh, x, h_prev, W_xh, W_hh, b_h" in " ".join(r.notes)
    assert "arguments the exercise lists" in r.hints[0]


def test_slow_function_times_out():
    def slow(*args):
        time.sleep(3)
    t0 = time.perf_counter()
    r = check("rnn_step_backward", slow, timeout=0.2)
    assert time.perf_counter() - t0 < 2
    assert not r.passed and r.diagnoses == ["timeout"] and "0.2 s" in flat(r)


def test_timeout_cannot_be_swallowed():
    def stubborn(*args):
        try:
            time.sleep(3)
        except Exception:
            return None
    r = check("rnn_step_backward", stubborn, timeout=0.2)
    assert r.diagnoses == ["timeout"]


def test_wrong_output_types_are_reported():
    r = check("rnn_step_backward", lambda *a: ("a", "b", "c", "d", "e"))
    assert not r.passed and "cannot be read as an array" in flat(r)
    r = check("softmax_temperature", lambda logits, t: None)
    assert r.diagnoses == ["returned_none"]


def test_html_has_no_ids_and_escapes():
    r = check("rnn_step_backward", lambda *a: (_ for _ in ()).throw(ValueError("<b>")))
    h = r._repr_html_()
    assert "&lt;b&gt;" in h and " id=" not in h


def test_each_check_is_fast():
    for name in NAMES:
        check(name, None)                             # warm the finite-difference cache
        t0 = time.perf_counter()
        check(name, CORRECT[name])
        assert time.perf_counter() - t0 < 1.0, name


def test_every_chapter_check_cell_shows_a_passing_report():
    """The chapters' check cells name registered exercises, follow a scaffold that sets
    the reader's function to None, and (their output is not compared by nbval, being
    HTML) show a passing report of the reference."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    found = {}
    for md in sorted((root / "chapters").glob("[0-9][0-9]_*.md")):
        text = md.read_text()
        for name, fn in re.findall(r'^check\("([a-z_0-9]+)", (my_[a-z_0-9]+)\)$', text, re.M):
            assert fn == f"my_{name}", (md.name, name, fn)
            assert f"\n{fn} = None   # delete this line" in text, (md.name, fn)
            assert re.search(rf"^def {fn}\(", text, re.M), (md.name, fn)
            found[name] = md.name
            assert REGISTRY[name].chapter == md.stem, (name, md.name)
    assert set(found) == set(REGISTRY)
    for name in found:
        r = check(name, None)
        assert r.passed and "PASSED" in str(r) and "PASSED" in r._repr_html_()


def test_a_near_miss_is_not_named():
    """A diagnosis needs a match to tight tolerance: a missing transpose plus a small
    extra error is reported as wrong, but not as a missing transpose."""
    from exercise_mistakes import step_missing_transpose

    def almost(*args):
        out = list(step_missing_transpose(*args))
        out[1] = out[1] * (1 + 1e-3 * np.cos(np.arange(out[1].size)).reshape(out[1].shape))
        return tuple(out)
    r = check("rnn_step_backward", almost)
    assert not r.passed and "transpose" not in r.diagnoses
    assert check("rnn_step_backward", step_missing_transpose).diagnoses == ["transpose"]
