"""Semenit: a self-service letter kiosk for Indonesian village offices."""

__version__ = "0.1.0"
