"""Pure computation core: plain functions over values and frames. Never imports Django."""
