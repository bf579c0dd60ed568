"""The template's machinery, apart from the research in ``src/``.

pytask loads three of its modules as plugins (``hook_module`` in ``pyproject.toml``):
``config_checks`` applies the rules of the configuration (``rules``), while pytask
collects and before each task; ``parallel_backends`` runs ``pytask -n N`` and clusters;
``build_guard`` stops a build that would write where it must not. ``raw_data`` reads
the column names of the raw data in each format, for the rules; ``summaries`` writes
the readable summary and the record of each fit. ``cruft update`` keeps this folder
current.
"""
