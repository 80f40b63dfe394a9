"""Sphinx extension: read rnnbook's docstrings as plain numpydoc text.

The package's docstrings are written for readers of the source (``|a - b|``,
``h**2``, ``x*y``), not for reStructuredText, where ``|...|`` is a substitution and
``*`` starts emphasis. Before napoleon turns the numpydoc sections into markup, this
hook escapes those characters outside double-backtick literals, so the API reference
shows the docstrings exactly as written and the ``-W`` build stays clean.
"""
import re

_LITERAL = re.compile(r"(``.*?``)")


_BULLET = re.compile(r"^(\s*[*-] )(.*)$")


def _escape(line):
    bullet = _BULLET.match(line)                # keep "* item" list markers as they are
    if bullet:
        return bullet.group(1) + _escape(bullet.group(2))
    parts = _LITERAL.split(line)
    for i in range(0, len(parts), 2):          # even indices: outside literals
        parts[i] = parts[i].replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
    return "".join(parts)


def escape_docstring(app, what, name, obj, options, lines):
    lines[:] = [_escape(line) for line in lines]


def setup(app):
    # napoleon runs at the default priority 500; run before it
    app.connect("autodoc-process-docstring", escape_docstring, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
