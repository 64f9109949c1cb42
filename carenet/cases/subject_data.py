"""The tables of ``cases`` that hold a person's data (the subject-access registry, carenet.core.subject_data)."""

from carenet.core.subject_data import SubjectTable, register

register(
    SubjectTable("cases.case"),
    SubjectTable("cases.caseevent", via="case__person"),
    SubjectTable("cases.socialinquiry", via="case__person"),
    SubjectTable("cases.interventionplan", via="case__person"),
    SubjectTable("cases.planaction", via="plan__case__person"),
    SubjectTable("cases.assessment", via="case__person"),
    SubjectTable("cases.domainrating", via="assessment__case__person"),
    SubjectTable("cases.note", via="case__person"),
    SubjectTable("cases.casedocument", via="case__person"),
    SubjectTable("cases.task", via="case__person"),
    SubjectTable("cases.monitoringduty", via="case__person"),
    SubjectTable("cases.monitoringvisit", via="duty__case__person"),
    SubjectTable("cases.servicedelivery"),
)
