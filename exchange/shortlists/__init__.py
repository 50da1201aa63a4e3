"""Shortlists: a council's working set of suppliers (and their pitches or offers) for one of its needs."""
