"""The tables of ``campaigns`` that hold a person's data (the subject-access registry, carenet.core.subject_data)."""

from carenet.core.subject_data import SubjectTable, register

register(SubjectTable("campaigns.registerentry"))
register(SubjectTable("campaigns.contact"))
register(SubjectTable("campaigns.checkin", via="contact__person"))
register(SubjectTable("campaigns.kitgiven"))
register(SubjectTable("campaigns.outboundmessage", via="contact__person"))  # SMS and automated calls
