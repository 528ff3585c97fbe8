"""PSE Desk: a desktop editorial workstation for a public-sector news magazine."""

__version__ = "0.1.0"
