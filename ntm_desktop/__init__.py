"""NTM Desktop: directives, tasks and New Rural Development criteria, offline."""

__version__ = "0.1.0"
APP_NAME = "NTM Desktop"
