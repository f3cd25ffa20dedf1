"""Settings are split by environment: base.py holds what all share; dev.py and prod.py extend it."""
