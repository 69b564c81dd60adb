"""Signals of the common layer, for the apps above it."""

from django.dispatch import Signal

# Public data changed and the transaction that changed it committed (core.data_version moved).
# No arguments besides `sender` (None). Receivers rebuild what is built ahead of requests.
public_data_changed = Signal()
