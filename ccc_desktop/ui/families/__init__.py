"""Screens for families and the session register."""
