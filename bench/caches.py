"""Cold-cache rounds for the benchmarks: forget every memo of the loaded transforms."""

from __future__ import annotations

import sys


def clear_caches() -> None:
    """Forget the cleaner's memoised line facts and every functools cache of the loaded
    ``transforms`` modules, so that a benchmark round starts cold."""
    from transforms import clean

    clean.clear_caches()
    for name, module in list(sys.modules.items()):
        if name.startswith("transforms."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
