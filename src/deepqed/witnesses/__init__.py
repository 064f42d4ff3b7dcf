"""Witnesses: one module per chapter, each exporting ``CLAIMS`` (see :mod:`deepqed.registry`)."""
