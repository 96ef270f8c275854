"""The import area's screens: the panel with the history, and the import dialog."""
