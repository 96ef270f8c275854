"""Shared pieces every screen uses: forms, tables, dialogs, PDF preview, background tasks, the app context."""
