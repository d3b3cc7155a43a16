"""The command-line room: thin click commands over the library; no judging or rendering logic of their own."""
from cadre_rules.cli.main import main

__all__ = ["main"]
