"""Benchmarks and picture renders: run as modules (``python -m benchmarks.scenes``)."""
