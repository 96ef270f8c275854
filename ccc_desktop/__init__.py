"""CCC Desktop: confidential records for a Child Contact Centre."""

__version__ = "0.1.0"
APP_NAME = "CCC Desktop"
