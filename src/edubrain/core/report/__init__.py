"""报告 (reports): the documents the bureau publishes — the plan's annual 监测评估报告 and the fitness
and myopia 通报 — as a neutral document model (``document``), rendered to .docx in the Chinese
government-document style (``docx_render``), with charts drawn server-side to PNG (``charts``) and a layout
the bureau can adjust (``template``). Pure Python: no Django."""
