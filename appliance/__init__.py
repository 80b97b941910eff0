"""Semenit: a self-service letter kiosk for Indonesian village offices."""

__version__ = "0.1.0"

from appliance.paths import keep_escpos_in_own_cache as _keep_escpos_in_own_cache

_keep_escpos_in_own_cache()  # nothing python-escpos writes may land outside the app's own folders
