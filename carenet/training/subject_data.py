"""The tables of ``training`` that hold a person's data (the subject-access registry, decision 0014)."""

from carenet.core.subject_data import SubjectTable, register

register(SubjectTable("training.enrolment"))
register(SubjectTable("training.cvitem"))
register(SubjectTable("training.jobfairparticipant"))
register(SubjectTable("training.jobplacement"))
register(SubjectTable("training.sessionmark", via="enrolment__person"))
register(SubjectTable("training.certificate", via="enrolment__person"))
register(SubjectTable("training.trainingalert", via="enrolment__person"))
