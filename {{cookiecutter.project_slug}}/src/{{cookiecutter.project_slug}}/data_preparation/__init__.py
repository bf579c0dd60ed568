"""Prepare the raw data in several ways, one task per entry of ``DATA``."""
