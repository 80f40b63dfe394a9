"""Every explorer of the book, one module per topic; importing this registers them all.

Each module defines ``compute``/``draw``/``update`` functions and calls
:func:`rnnbook.explorer.register`. New modules in this folder are found automatically.
"""
import importlib
import pkgutil

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    importlib.import_module(f"{__name__}.{_info.name}")
