"""规划 as data: parse a plan document (txt or docx) into the plan JSON, and judge progress against targets.

The plan JSON (``edubrain plan parse PLAN -o plan.json``; read by other tools — a contract):

- ``title``, ``issuer`` (印发机关), ``doc_number`` (e.g. 源政字〔2023〕36号), ``period`` ([start, end] years);
- ``sections``: tree, each ``{"code", "title", "children"}``; codes are dotted numbering paths: "二",
  "二.(一)";
- ``tasks``: each ``{"code": "二.(一).3", "title", "text", "units": [lead, co, …]}``;
- ``targets``: each ``{"indicator", "unit", "baseline_year", "baseline", "target_year", "target",
  "comparator", "nature", "task_code", "source"}`` with ``comparator`` one of ">=", "<=", "=",
  "decrease_by", "increase_by"; ``nature`` 预期性/约束性 or null; numbers in the document's own unit (1.7 for
  "1.7万人" with unit "万人", 55 for 55%); ``source``: the sentence or table row;
- ``projects``: each ``{"number", "name", "content"}``;
- ``unparsed``: what the parser skipped, each ``{"text", "reason"}``.

Extra keys a producer may add (the parser adds ``category`` to table targets: 学前教育, 义务教育 …) are
allowed; readers ignore what they do not know.
"""
