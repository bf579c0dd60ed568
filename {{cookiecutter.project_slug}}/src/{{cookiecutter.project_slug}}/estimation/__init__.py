"""Fit every model to every prepared data set, one task per entry of ``ESTIMATIONS``."""
