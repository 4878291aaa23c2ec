"""Kilde's assets as a Dagster code location (see definitions.py)."""
