"""Screenshot tooling: drives the screens with demo data and renders PNGs and PDFs."""
