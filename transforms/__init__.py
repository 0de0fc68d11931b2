"""Pure transforms: strings in, models out, no I/O."""
