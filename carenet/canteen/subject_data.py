"""The tables of ``canteen`` that hold a person's data (the subject-access registry, carenet.core.subject_data)."""

from carenet.core.subject_data import SubjectTable, register

register(
    SubjectTable("canteen.application"),
    SubjectTable("canteen.decision"),
    SubjectTable("canteen.nominalentry"),
    SubjectTable("canteen.mealcard"),
    SubjectTable("canteen.meal"),
    SubjectTable("canteen.contributionpayment"),
    SubjectTable("canteen.reverification", via="decision__person"),
    SubjectTable("canteen.aidallocation"),
    SubjectTable("canteen.roundstop"),
    SubjectTable("canteen.deliveryabsence"),
)
