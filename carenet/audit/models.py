"""The append-only, hash-chained audit log (reads and writes of CareNet's records).

One chain per municipality (platform events with no municipality form their own chain, ``chain`` =
:data:`PLATFORM_CHAIN`). ``chain`` is the table's distribution column on Citus, colocated with the
tenant tables: an event is written on the shard of the change it records, in the same transaction,
without a two-phase commit (decision 0010). ``seq`` numbers the events of a chain (1, 2, …), made by
the application under the chain's lock; ``hash`` = SHA-256 over the previous hash and the event's
canonical JSON — every stored column but the hash itself (``hash_version`` 2; events written before
issue 26 keep their version-1 hash, which left out the id, chain, position and user agent).
``AuditCheckpoint`` anchors each chain once a day with an HMAC made with a key kept outside the
database (decision 0015); ``manage.py audit_verify`` recomputes the hashes and checks the checkpoints.
"""

import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.db.constraints import TenantKey
from carenet.core.ids import uuid7

GENESIS_HASH = "0" * 64
HASH_VERSION = 2
# The chain of events that belong to no municipality (platform administration, anonymous sign-in failures).
PLATFORM_CHAIN = uuid.UUID(int=0)


class AuditJSONEncoder(json.JSONEncoder):
    """Stores what JSON has no type for (UUIDs, dates) as ``str()``, exactly as ``canonical()`` hashes it."""

    def default(self, o: object) -> str:
        return str(o)


def chain_of(municipality_id: object) -> uuid.UUID:
    return PLATFORM_CHAIN if municipality_id is None else uuid.UUID(str(municipality_id))


class AuditEventQuerySet(models.QuerySet):
    def for_tenant(self, municipality) -> "AuditEventQuerySet":
        return self.filter(chain=chain_of(getattr(municipality, "pk", municipality)))


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    chain = models.UUIDField(editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("record type"), max_length=80, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("record"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True, encoder=AuditJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Which columns ``canonical()`` covers: 1 = the first ten (events written before issue 26), 2 = all.
    hash_version = models.PositiveSmallIntegerField(default=HASH_VERSION, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        constraints = [
            TenantKey(name="audit_auditevent_tkey", fields=("id", "chain")),
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
            models.UniqueConstraint(fields=["chain", "hash"], name="audit_chain_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def canonical(self) -> bytes:
        if self.hash_version == 1:
            return self._canonical_v1()
        data = {
            "hash_version": self.hash_version,
            "id": str(self.id),
            "chain": str(self.chain),
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "municipality": str(self.municipality_id) if self.municipality_id else None,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "purpose": self.purpose,
            "ip": self.ip,
            "user_agent": self.user_agent,
            "changes": self.changes,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()

    def _canonical_v1(self) -> bytes:
        data = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "municipality": str(self.municipality_id) if self.municipality_id else None,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "purpose": self.purpose,
            "ip": self.ip,
            "changes": self.changes,
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev_hash.encode() + self.canonical()).hexdigest()


class AuditCheckpoint(models.Model):
    """The head of one chain on one day, signed: ``signature`` = HMAC-SHA256 of the fields below under a
    key the database does not hold (``CARENET_AUDIT_KEY``), identified by ``key_id``. Each checkpoint
    names the one before it (``prev_signature``), so a deleted or reordered checkpoint shows too.
    Append-only like the events, and distributed by ``chain`` next to them on Citus."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    chain = models.UUIDField(editable=False)
    number = models.PositiveBigIntegerField(editable=False)
    made_at = models.DateTimeField(editable=False)
    seq = models.PositiveBigIntegerField(editable=False)  # the last event anchored (0: none yet)
    head_hash = models.CharField(max_length=64, editable=False)
    prev_signature = models.CharField(max_length=64, editable=False)
    key_id = models.CharField(max_length=16, editable=False)
    signature = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["chain", "number"]
        constraints = [
            TenantKey(name="audit_auditcheckpoint_tkey", fields=("id", "chain")),
            models.UniqueConstraint(fields=["chain", "number"], name="audit_checkpoint_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.chain} #{self.number} {self.made_at:%Y-%m-%d %H:%M} seq {self.seq}"

    def message(self) -> bytes:
        data = {
            "chain": str(self.chain),
            "number": self.number,
            "made_at": self.made_at.isoformat(),
            "seq": self.seq,
            "head_hash": self.head_hash,
            "prev_signature": self.prev_signature,
            "key_id": self.key_id,
        }
        return json.dumps(data, sort_keys=True).encode()

    def sign(self, key: bytes) -> str:
        return hmac.new(key, self.message(), hashlib.sha256).hexdigest()


def key_id_of(key: bytes) -> str:
    """Names a key without revealing it (the first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(b"carenet-audit-key:" + key).hexdigest()[:16]
