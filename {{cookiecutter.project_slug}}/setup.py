"""A shim for tools that still look for setup.py; pyproject.toml holds the metadata."""

from setuptools import setup

setup()
