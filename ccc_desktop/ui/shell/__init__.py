"""The application shell: controller, main window, tabs, unlock, setup wizard, dashboard."""
