"""The privacy app's own tables about a person: their requests and the legal holds on their records."""

from carenet.core.subject_data import SubjectTable, register

register(SubjectTable("privacy.subjectrequest"), SubjectTable("privacy.legalhold"))
