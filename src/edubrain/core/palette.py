"""The dashboard colours, shared by the ECharts options (``base.charts``) and the server-side PNG charts
(``core.report.charts``) so a report's pictures look like the pages they come from."""

from __future__ import annotations

# blue (main series), green (met), amber (forecast, warnings), red (not met, limits), violet, teal
PALETTE = ["#2f6fb3", "#3ba272", "#e8a33d", "#d5573b", "#7b61b3", "#4bb0c8"]
