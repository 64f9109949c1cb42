"""The tables of ``referrals`` that hold a person's data (the subject-access registry, carenet.core.subject_data)."""

from carenet.core.subject_data import SubjectTable, register

register(
    SubjectTable("referrals.referral"),
    SubjectTable("referrals.referralevent", via="referral__person"),
    SubjectTable("referrals.referralshareddocument", via="referral__person"),
    SubjectTable("referrals.casetransfer", via="case__person"),
    SubjectTable("referrals.notification", via="referral__person", exclude=frozenset({"url"})),
)
