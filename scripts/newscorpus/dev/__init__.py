"""Developer tools, never part of a release: synthetic records, the benchmark, and running
the per-record build stage on another engine."""
