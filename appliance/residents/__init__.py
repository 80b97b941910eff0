"""Residents: the model with OpenSID's field names and codes, NIK rules, the store and the importers."""
