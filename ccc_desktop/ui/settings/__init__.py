"""Screens for settings: centre details, accounts, passphrases."""
