"""Screens for legal records: agreements, police requests, summonses, letters."""
