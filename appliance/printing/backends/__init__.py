"""Printer backends. Each module imports its library lazily, so a laptop with none of them starts."""
