"""Publishing: valid records → config rows (views) → Parquet, card, Croissant, stats.

Light on purpose: importing the package imports nothing heavy, so the CLI can decide that a
build has nothing to do (buildstate) without loading pyarrow, datasets or spaCy. The modules,
leaves first: layout (paths, configs, Published), metadata, features, descriptions, views,
stats, derive (the per-record stage), parquet, card, croissant, buildstate, build.
"""
