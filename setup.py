"""Build hook for the optional C kernel (everything else is in pyproject.toml).

``transforms._speedups`` is ``optional``: without a C compiler the install goes on and
the package runs the Python reference of the same functions.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("transforms._speedups", ["transforms/_speedups.c"], optional=True, extra_compile_args=["-O2"]),
    ]
)
