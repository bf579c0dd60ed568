"""The {{ cookiecutter.project_slug }} package: data preparations x models, run by pytask."""
