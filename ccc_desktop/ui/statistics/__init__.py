"""Statistics (issue 14): the Reports › Statistics screen and the waiting list."""
