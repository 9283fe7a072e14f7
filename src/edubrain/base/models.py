"""Generic models of the base layer: the org tree and the audit log."""

from edubrain.base.audit import AuditLog
from edubrain.base.orgtree import OrgKind, OrgUnit

__all__ = ["AuditLog", "OrgKind", "OrgUnit"]
