"""Pure transforms: strings in, models out, no I/O."""

from __future__ import annotations

import sys


def clear_caches() -> None:
    """Forget every memo of the loaded transforms (the cleaner's per-line facts and each
    functools cache), so that a benchmark round starts cold."""
    from transforms import clean

    clean.clear_caches()
    for name, module in list(sys.modules.items()):
        if name.startswith("transforms."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
