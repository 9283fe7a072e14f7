"""Pure rules of 工作推进 (work tracking): reporting periods and report states, project delays, 整改
deadlines and statistics — frames in, frames out, no Django."""
