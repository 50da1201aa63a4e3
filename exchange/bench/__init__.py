"""Benchmarks that print figures (``exchange bench ...``); speed is measured here, not in timed tests."""
