"""Row identifiers made by the application (never by a database sequence or identity column).

Tenant-owned rows get a UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then 12
bits of sub-millisecond time, then random bits. New ids therefore arrive at the right edge of a
B-tree index (inserts touch one leaf page instead of a random one, docs/decisions/0010) and sort
in creation order within one process, so ``order_by("-id")`` stays a sensible tie-break.

Rows that had an integer key before the move to UUIDs keep their old number in the id
(:func:`uuid_from_int`): the old id stays readable in the new one (``…-8000-00000000002a`` was 42),
audit events written before the migration still name their record, and the converted rows sort
before every new one, in their old order.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0


def uuid7() -> uuid.UUID:
    """A new time-ordered UUID (version 7, sub-millisecond precision, monotonic per process)."""
    global _last
    with _lock:
        # 60 bits of time: milliseconds (48 bits) and a 12-bit fraction of the millisecond.
        now = time.time_ns()
        stamp = (now // 1_000_000) << 12 | (now % 1_000_000) * 4096 // 1_000_000
        if stamp <= _last:  # same tick, or the clock went back: stay strictly increasing
            stamp = _last + 1
        _last = stamp
    millis, fraction = stamp >> 12, stamp & 0xFFF
    tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = millis << 80 | 0x7 << 76 | fraction << 64 | 0b10 << 62 | tail
    return uuid.UUID(int=value)


# The fixed part of a converted id: version 7 with time zero, RFC variant; the old number in the low 48 bits.
CONVERTED_PREFIX = "00000000-0000-7000-8000-"


def uuid_from_int(number: int) -> uuid.UUID:
    """The id a row with the integer key ``number`` got when its table moved to UUIDs."""
    if not 0 < number < 1 << 48:
        raise ValueError(f"integer key out of range: {number}")
    return uuid.UUID(f"{CONVERTED_PREFIX}{number:012x}")


def int_from_uuid(value: uuid.UUID | str) -> int | None:
    """The integer key a converted row had before the move to UUIDs (None for ids made since)."""
    text = str(value)
    if not text.startswith(CONVERTED_PREFIX):
        return None
    return int(text[len(CONVERTED_PREFIX) :], 16)
