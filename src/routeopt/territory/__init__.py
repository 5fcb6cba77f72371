"""Territories: who owns which customer (designed, compared, or the nearest rep for blanks)."""
