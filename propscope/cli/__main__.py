"""`python -m propscope.cli`, as the tests and the crash-safety checks run it."""

from propscope.cli import main

main()
