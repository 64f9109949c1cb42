"""The tables of ``activities`` that hold a person's data (the subject-access registry, carenet.core.subject_data).

Anonymous participant counts hold no person; attendance names one.
"""

from carenet.core.subject_data import SubjectTable, register

register(SubjectTable("activities.attendance"))
