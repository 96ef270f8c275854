"""Documents attached to records: the list, the previews, drag and drop."""
