"""Letters and reports as A4 PDFs (reportlab). Never imports Qt. User text is always escaped."""
