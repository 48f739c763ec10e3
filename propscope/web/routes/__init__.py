"""One router per resource; each renders the same typed result (propscope/results.py) as a page or as JSON."""
