"""指标 (indicators): the catalogue of indicator definitions and their formulas over frames (pure)."""
