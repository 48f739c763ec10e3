"""Train: commands that fit the models enrich ships, from data on disk (never at run time)."""
