"""Synthetic data at scale (`coop synth`): realistic records for benchmarks and capacity tests."""

from app.synth.fill import Scale, synthesise

__all__ = ["Scale", "synthesise"]
