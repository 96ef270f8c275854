"""All SQL lives in this package: the connection, migrations and one store per area."""
