"""Screens for the confidentiality policy and its reviews."""
