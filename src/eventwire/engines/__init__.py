"""Engines: the same stages on local worker processes (default) or on a Ray cluster."""
