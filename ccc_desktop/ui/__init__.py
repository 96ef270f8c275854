"""Qt widgets, dialogs and item models. Never runs SQL: everything goes through the services."""
