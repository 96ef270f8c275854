"""Importing a centre's spreadsheets (issue 15): reading CSV and XLSX files, mapping their
columns to fields, checking every row in plain words. Needs no vault: ``check-import`` runs this
on a helper's PC, and ``models/services/imports.py`` writes the result through the services."""
