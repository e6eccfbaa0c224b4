"""``python -m campus_security``: the command line."""

from .cli import main

main(prog_name="campus-security")
