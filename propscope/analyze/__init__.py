"""Analyses over the stored archive: who supports whom, who is mentioned with whom, and charts of both."""
