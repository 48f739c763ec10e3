"""`python -m propscope`, the same command as `propscope` (where the script is not on the PATH)."""

from propscope.cli import main

main()
