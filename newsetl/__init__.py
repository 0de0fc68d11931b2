"""``python -m newsetl`` runs the command line (``flows.cli``); the version is the package's."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsetl")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
