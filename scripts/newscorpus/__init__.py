"""Tools to grow, validate and publish the annotated news corpus."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newscorpus")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

SCHEMA_VERSION = "1.0.0"
