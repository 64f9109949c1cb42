"""The tables of ``care`` that hold a person's data (the subject-access registry, decision 0014).

A care request names a registry person (entered by a social worker, with consent); its bookings, visits,
ratings, complaints and covers reach the person through it.
"""

from carenet.core.subject_data import SubjectTable, register

register(
    SubjectTable("care.carerequest", via="person"),
    SubjectTable("care.booking", via="request__person"),
    SubjectTable("care.visit", via="booking__request__person"),
    SubjectTable("care.rating", via="booking__request__person"),
    SubjectTable("care.complaint", via="booking__request__person"),
    SubjectTable("care.cover", via="booking__request__person"),
)
