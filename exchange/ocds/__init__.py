"""Open Contracting Data Standard 1.1.5 releases of public needs: what councils publish as open data."""
