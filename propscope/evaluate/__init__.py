"""Evaluate: scorers that measure what enrich produces against gold annotations (no model code here)."""
