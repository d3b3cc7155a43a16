"""`python -m cadre_rules`: the command line."""
from cadre_rules.cli.main import main

main()
