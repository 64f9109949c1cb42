"""The tables of ``housing`` that hold a person's data (the subject-access registry, carenet.core.subject_data).

Ranked entries carry a file number and a score, reached through the application; answers, documents and
appeals are reached through the application too.
"""

from carenet.core.subject_data import SubjectTable, register

register(
    SubjectTable("housing.application", via="applicant"),
    SubjectTable("housing.answer", via="application__applicant"),
    SubjectTable("housing.applicationdocument", via="application__applicant"),
    SubjectTable("housing.appeal", via="application__applicant"),
    SubjectTable("housing.rankedentry", via="application__applicant"),
    SubjectTable("housing.offer", via="application__applicant"),
    SubjectTable("housing.contract", via="tenant"),
    SubjectTable("housing.rentmonth", via="contract__tenant"),
    SubjectTable("housing.rentpayment", via="contract__tenant"),
    SubjectTable("housing.stay"),
    SubjectTable("housing.waitingentry"),
)
