"""Screens for volunteers, the rota and DBS checks."""
