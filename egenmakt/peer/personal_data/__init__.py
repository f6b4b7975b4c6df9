"""The personal data this app holds (``audit.registry``; the record of processing reads it).

Two kinds of people own rows here: the applicant (an ``Application``, who has no account
and reaches their data through the private link) and the user (a peer supporter in a
course or a job, and the staff who recruit, teach, place and supervise them). Each gets
their own part of a shared row only: an interviewer's part of an interview is that they
held it and when, never the applicant's answers; a course participant's attendance is
theirs, the leader who took it gets that they recorded it.

Retention, as the code does it: an application that did not lead to admission is erased
``retention_months`` after its round closes (``services/retention.py``), or at once when
the applicant asks (``erase_application_now``); everything else is kept while the
programme runs and has no erasure of its own yet. A user who leaves is anonymised
(``accounts.services.anonymise_user``): the text fields listed in ``names`` get the
pseudonym in place of the name.

The entries are kept by area (``recruitment``, ``course``, ``work``); what they share is
in ``common``.
"""

from __future__ import annotations

from egenmakt.core.personal_data import NoPersonalData, PersonalData

from .course import COURSE_DATA
from .recruitment import RECRUITMENT_DATA
from .work import WORK_DATA

# By area, in the order the record of processing lists them.
PERSONAL_DATA: list[PersonalData | NoPersonalData] = [*RECRUITMENT_DATA, *COURSE_DATA, *WORK_DATA]
