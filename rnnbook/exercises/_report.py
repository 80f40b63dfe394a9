"""The report that :func:`rnnbook.exercises.check` returns.

Plain text for ``print``/``repr`` and an HTML table for notebooks; both deterministic
(errors are printed in coarse classes or with one significant digit) so that a
notebook's stored output can be compared when it is re-run.
"""
from __future__ import annotations

import dataclasses
import html
import textwrap

__all__ = ["Report", "Row", "fmt_error"]


def fmt_error(err, floor=(1e-10, 1e-7)):
    """A relative error as text that does not change with the last bits of float64:
    below each of ``floor`` as "< floor", else one significant digit."""
    if err is None:
        return "n/a"
    if err != err or err == float("inf"):
        return "not finite"
    for f in floor:
        if err < f:
            return f"< {_sci(f)}"
    return f"{err:.1g}" if err >= 0.01 else _sci(err)


def _sci(x):
    """One significant digit, short exponent: 3e-5."""
    mant, exp = f"{x:.0e}".split("e")
    return f"{mant}e{int(exp)}"


# Finite differences are themselves accurate to about 1e-8 relative (entry by entry):
# the column says only whether they agree to 1e-6.
FD_FLOOR = (1e-6,)


@dataclasses.dataclass
class Row:
    """One output: its shape and its errors."""
    name: str
    expected: str                  # "(N, H) = (3, 5)"
    received: str = ""             # "" when the shape is right
    err_ref: float = None
    err_fd: float = None
    ok: bool = False
    diagnosis: str = ""            # sentence, "" if none


@dataclasses.dataclass
class Report:
    """Result of one check. ``passed`` is True only when every output is right."""
    exercise: str
    title: str = ""
    passed: bool = False
    rows: list = dataclasses.field(default_factory=list)
    diagnoses: list = dataclasses.field(default_factory=list)   # codes, most specific first
    keys: list = dataclasses.field(default_factory=list)        # diagnosis keys (code/detail)
    notes: list = dataclasses.field(default_factory=list)       # sentences before the table
    findings: list = dataclasses.field(default_factory=list)    # sentences after the table
    hints: list = dataclasses.field(default_factory=list)       # shown hints (the ladder)
    more_hints: int = 0            # how many more the ladder holds
    hint_level: int = 1
    used_reference: bool = False
    case: str = ""
    fd_note: str = ""

    @staticmethod
    def _wrap(text):
        return textwrap.fill(text, 88, initial_indent="  ", subsequent_indent="    ",
                             break_long_words=False, break_on_hyphens=False)

    def _grouped(self):
        """[(output names, diagnosis)] with the outputs that share a diagnosis together."""
        groups = {}
        for r in self.rows:
            if r.diagnosis:
                groups.setdefault(r.diagnosis, []).append(r.name)
        return [(names, text) for text, names in groups.items()]

    # ----- text -----
    def _status(self):
        if self.passed:
            return "PASSED" + (" (the book's reference solution)" if self.used_reference else "")
        return "NOT YET"

    def _table_rows(self):
        head = ("output", "shape", "error vs reference", "error vs finite differences")
        body = []
        for r in self.rows:
            shape = r.expected if not r.received else f"got {r.received}; expected {r.expected}"
            body.append((r.name, shape, fmt_error(r.err_ref) if not r.received else "-",
                         fmt_error(r.err_fd, FD_FLOOR) if not r.received else "-"))
        return head, body

    def __str__(self):
        lines = [f"check {self.exercise!r}: {self._status()}"]
        if self.title:
            lines[0] += f"  [{self.title}]"
        lines += [self._wrap(n) for n in self.notes]
        if self.rows:
            head, body = self._table_rows()
            widths = [max(len(str(x[i])) for x in [head] + body) for i in range(4)]
            fmt = "  " + "  ".join("{:<%d}" % w for w in widths)
            lines.append(fmt.format(*head).rstrip())
            lines += [fmt.format(*b).rstrip() for b in body]
            if self.case:
                lines.append(self._wrap(f"(inputs: {self.case})"))
            if self.fd_note:
                lines.append(self._wrap(self.fd_note))
        lines += [self._wrap(n) for n in self.findings]
        for names, text in self._grouped():
            lines.append(self._wrap(f"Diagnosis, {', '.join(names)}: {text}"))
        for i, h in enumerate(self.hints, start=1):
            lines.append(self._wrap(f"Hint {i}: {h}"))
        if self.more_hints:
            lines.append(f"  More help: check(..., hint={self.hint_level + 1}).")
        return "\n".join(lines)

    __repr__ = __str__

    # ----- html -----
    def _repr_html_(self):
        e = html.escape
        colour = "#1b7837" if self.passed else "#b2182b"
        out = [f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em;'
               'margin:0.3em 0">',
               f'<p style="margin:0.2em 0"><b>check <code>{e(self.exercise)}</code>: '
               f'<span style="color:{colour}">{e(self._status())}</span></b>'
               + (f" &nbsp;{e(self.title)}" if self.title else "") + "</p>"]
        out += [f'<p style="margin:0.2em 0">{e(n)}</p>' for n in self.notes]
        if self.rows:
            head, body = self._table_rows()
            out.append('<table style="border-collapse:collapse;margin:0.3em 0">')
            out.append("<tr>" + "".join(f'<th style="text-align:left;padding:0 0.8em 0 0">'
                                        f"{e(h)}</th>" for h in head) + "</tr>")
            for r, b in zip(self.rows, body):
                mark = "&#10003;" if r.ok else "&#10007;"
                cells = [f"{mark} <code>{e(b[0])}</code>"] + [e(str(c)) for c in b[1:]]
                out.append("<tr>" + "".join(f'<td style="padding:0 0.8em 0 0">{c}</td>'
                                            for c in cells) + "</tr>")
            out.append("</table>")
            if self.case:
                out.append(f'<p style="margin:0.2em 0;font-size:90%">inputs: {e(self.case)}</p>')
            if self.fd_note:
                out.append(f'<p style="margin:0.2em 0;font-size:90%">{e(self.fd_note)}</p>')
        out += [f'<p style="margin:0.2em 0">{e(n)}</p>' for n in self.findings]
        for names, text in self._grouped():
            code = ", ".join(f"<code>{e(n)}</code>" for n in names)
            out.append(f'<p style="margin:0.2em 0"><b>Diagnosis</b>, {code}: {e(text)}</p>')
        for i, h in enumerate(self.hints, start=1):
            out.append(f'<p style="margin:0.2em 0"><b>Hint {i}</b>: {e(h)}</p>')
        if self.more_hints:
            out.append(f'<p style="margin:0.2em 0">More help: '
                       f"<code>check(..., hint={self.hint_level + 1})</code>.</p>")
        out.append("</div>")
        return "\n".join(out)
