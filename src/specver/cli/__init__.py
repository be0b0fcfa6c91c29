"""The command line: typer commands over the API, output and exit statuses."""
