"""Defaults of the tenant-configurable linkage thresholds (the tenant's own rows override them)."""

DEFAULT_PROBABLE = 0.90  # a probable duplicate: strong warning, a reason to continue, API 409
DEFAULT_POSSIBLE = 0.80  # a possible duplicate: a soft notice (0.5 warned 9 % of new persons on the benchmark)
