"""``python -m deepqed``: the command line."""

from deepqed.cli import main

main()
