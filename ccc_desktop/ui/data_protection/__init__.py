"""Screens for data protection: reports, retention, backups, subject access, rectification, restore."""
