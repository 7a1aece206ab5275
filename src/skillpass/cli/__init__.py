"""Command line: a thin layer over the services built by :mod:`skillpass.app`."""
