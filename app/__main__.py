"""`python -m app` runs the command-line tool."""

from app.cli import main

main()
