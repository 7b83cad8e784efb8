"""Benchmarks of nanguan-geo: run ``python -m benchmarks.run``."""
