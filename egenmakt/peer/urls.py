from django.urls import path

from egenmakt.peer.views import course as course_views
from egenmakt.peer.views import courseplan as courseplan_views
from egenmakt.peer.views import ethics as ethics_views
from egenmakt.peer.views import followup as followup_views
from egenmakt.peer.views import interviews as interviews_views
from egenmakt.peer.views import library as library_views
from egenmakt.peer.views import observation as observation_views
from egenmakt.peer.views import placement as placement_views
from egenmakt.peer.views import recruitment as recruitment_views
from egenmakt.peer.views import supervision as supervision_views
from egenmakt.peer.views import worklog as worklog_views

app_name = "peer"

urlpatterns = [
    path("omgangar/", recruitment_views.round_list, name="rounds"),
    path("omgangar/ny/", recruitment_views.round_create, name="round_create"),
    path("omgangar/<int:round_id>/", recruitment_views.round_detail, name="round"),
    path("omgangar/<int:round_id>/andra/", recruitment_views.round_edit, name="round_edit"),
    path("omgangar/<int:round_id>/oppna/", recruitment_views.round_open, name="round_open"),
    path("omgangar/<int:round_id>/stang/", recruitment_views.round_close, name="round_close"),
    path("omgangar/<int:round_id>/personer/", recruitment_views.round_people, name="round_people"),
    path(
        "omgangar/<int:round_id>/personer/<int:member_id>/ta-bort/",
        recruitment_views.round_member_remove,
        name="round_member_remove",
    ),
    path(
        "omgangar/<int:round_id>/ansokningar/",
        recruitment_views.application_list,
        name="applications",
    ),
    path("omgangar/<int:round_id>/tavla/", recruitment_views.application_board, name="board"),
    path("omgangar/<int:round_id>/brev/", recruitment_views.round_letters, name="round_letters"),
    path("omgangar/<int:round_id>/tratt/", recruitment_views.round_funnel, name="funnel"),
    path(
        "omgangar/<int:round_id>/tratt.csv", recruitment_views.round_funnel_csv, name="funnel_csv"
    ),
    path(
        "ansokningar/<int:application_id>/",
        recruitment_views.application_detail,
        name="application",
    ),
    path(
        "ansokningar/<int:application_id>/beslut/<slug:step>/",
        recruitment_views.application_decide,
        name="decide",
    ),
    path(
        "ansokningar/<int:application_id>/aterta/",
        recruitment_views.application_withdraw,
        name="withdraw",
    ),
    path(
        "ansokningar/<int:application_id>/boka-intervju/",
        interviews_views.interview_book,
        name="book_interview",
    ),
    path("intervjuer/", interviews_views.my_interviews, name="my_interviews"),
    path("intervjuer/<int:interview_id>/", interviews_views.interview_detail, name="interview"),
    path(
        "intervjuer/<int:interview_id>/anteckningar/<slug:kind>/",
        interviews_views.interview_record,
        name="interview_record",
    ),
    path(
        "intervjuer/<int:interview_id>/anteckningar/<slug:kind>/gemensam/",
        interviews_views.interview_record_agreed,
        name="interview_record_agreed",
    ),
    path(
        "intervjuer/<int:interview_id>/avboka/",
        interviews_views.interview_cancel,
        name="interview_cancel",
    ),
    path(
        "intervjuer/<int:interview_id>/kalender.ics",
        interviews_views.interview_calendar,
        name="interview_calendar",
    ),
    path(
        "brevmallar/<int:organisation_id>/",
        recruitment_views.letter_templates,
        name="letter_templates",
    ),
    path("kurser/", course_views.cohort_list, name="cohorts"),
    path("omgangar/<int:round_id>/ny-kurs/", course_views.cohort_create, name="cohort_create"),
    path("kurser/<int:cohort_id>/", course_views.cohort_detail, name="cohort"),
    path("kurser/<int:cohort_id>/personal/", course_views.cohort_add_staff, name="cohort_staff"),
    path("kurser/<int:cohort_id>/dagar/", course_views.cohort_add_session, name="cohort_session"),
    path(
        "kurser/<int:cohort_id>/fran-kursplan/",
        courseplan_views.cohort_from_plan,
        name="cohort_from_plan",
    ),
    path("kursplan/<int:organisation_id>/", courseplan_views.course_plan, name="course_plan"),
    path(
        "kursplan/<int:organisation_id>/ny/",
        courseplan_views.course_plan_add,
        name="course_plan_add",
    ),
    path(
        "kursplan/<int:organisation_id>/ta-bort/",
        courseplan_views.course_plan_remove,
        name="course_plan_remove",
    ),
    path(
        "etiska-riktlinjer/<int:organisation_id>/",
        ethics_views.guidelines_edit,
        name="ethics_guidelines",
    ),
    path(
        "etiska-riktlinjer/<int:organisation_id>/spara/",
        ethics_views.guidelines_save,
        name="ethics_guidelines_save",
    ),
    path(
        "etiska-riktlinjer/<int:organisation_id>/folj-arvda/",
        ethics_views.guidelines_follow_inherited,
        name="ethics_guidelines_follow_inherited",
    ),
    path("min-kurs/etiska-riktlinjer/", ethics_views.my_guidelines, name="my_ethics_guidelines"),
    path(
        "min-kurs/etiska-riktlinjer/las/",
        ethics_views.my_guidelines_acknowledge,
        name="my_ethics_guidelines_acknowledge",
    ),
    path(
        "kursplan/<int:organisation_id>/hemuppgifter/",
        library_views.homework_library,
        name="homework_library",
    ),
    path(
        "kursplan/<int:organisation_id>/hemuppgifter/ny/",
        library_views.homework_library_add,
        name="homework_library_add",
    ),
    path(
        "kursplan/<int:organisation_id>/hemuppgifter/andra/",
        library_views.homework_library_edit,
        name="homework_library_edit",
    ),
    path(
        "kursplan/<int:organisation_id>/hemuppgifter/ta-bort/",
        library_views.homework_library_remove,
        name="homework_library_remove",
    ),
    path(
        "kursplan/<int:organisation_id>/ovningar/",
        library_views.exercise_library,
        name="exercise_library",
    ),
    path(
        "kursplan/<int:organisation_id>/ovningar/ny/",
        library_views.exercise_library_add,
        name="exercise_library_add",
    ),
    path(
        "kursplan/<int:organisation_id>/ovningar/andra/",
        library_views.exercise_library_edit,
        name="exercise_library_edit",
    ),
    path(
        "kursplan/<int:organisation_id>/ovningar/ta-bort/",
        library_views.exercise_library_remove,
        name="exercise_library_remove",
    ),
    path("kursdagar/<int:session_id>/narvaro/", course_views.attendance, name="attendance"),
    path("min-kurs/", course_views.my_course, name="my_course"),
    path("egen-erfarenhet/", course_views.lived_experience, name="lived_experience"),
    path(
        "kurser/<int:cohort_id>/hemuppgifter/",
        course_views.cohort_homework,
        name="cohort_homework",
    ),
    path("kurser/<int:cohort_id>/ovning/", course_views.link_exercise, name="link_exercise"),
    path("hemuppgifter/<int:assignment_id>/", course_views.assignment_detail, name="assignment"),
    path(
        "min-kurs/hemuppgift/<int:assignment_id>/",
        course_views.my_assignment,
        name="my_assignment",
    ),
    path(
        "inlamningar/<int:submission_id>/fil/", course_views.submission_file, name="submission_file"
    ),
    path(
        "kurser/<int:cohort_id>/avslut/", course_views.cohort_completion, name="cohort_completion"
    ),
    path(
        "deltagare/<int:participant_id>/observationer/",
        observation_views.observation_notes,
        name="observation_notes",
    ),
    path(
        "deltagare/<int:participant_id>/observationer/ny/",
        observation_views.observation_add,
        name="observation_add",
    ),
    path("deltagare/<int:participant_id>/intyg.pdf", course_views.certificate, name="certificate"),
    path("kalender/kurs/<uuid:key>.ics", course_views.cohort_feed, name="cohort_feed"),
    path(
        "kalender/deltagare/<uuid:key>.ics", course_views.participant_feed, name="participant_feed"
    ),
    path("min-kurs/paminnelser/", course_views.my_reminders, name="my_reminders"),
    path("arbetsplatser/", placement_views.workplace_list, name="workplaces"),
    path("arbetsplatser/<int:workplace_id>/", placement_views.workplace_detail, name="workplace"),
    path(
        "arbetsplatser/<int:workplace_id>/arbetsbeskrivning/",
        placement_views.workplace_task_description,
        name="workplace_task_description",
    ),
    path(
        "arbetsplatser/<int:workplace_id>/avtal/",
        placement_views.workplace_agreement,
        name="workplace_agreement",
    ),
    path(
        "arbetsplatser/<int:workplace_id>/utbildning/",
        placement_views.workplace_training,
        name="workplace_training",
    ),
    path(
        "arbetsplatser/<int:workplace_id>/placera/",
        placement_views.workplace_place,
        name="workplace_place",
    ),
    path(
        "placeringar/<int:placement_id>/avsluta/",
        placement_views.placement_end,
        name="placement_end",
    ),
    path(
        "brukarorganisationer/<int:organisation_id>/utbildning/",
        placement_views.user_organisation_training,
        name="user_organisation_training",
    ),
    path(
        "brukarorganisationer/<int:organisation_id>/utbildning/ny/",
        placement_views.user_organisation_training_add,
        name="user_organisation_training_add",
    ),
    path("vantar-pa-jobb/", placement_views.waiting_list, name="waiting_list"),
    path("handledning/", supervision_views.meetings, name="supervision"),
    path(
        "handledning/<int:meeting_id>/",
        supervision_views.meeting_detail,
        name="supervision_meeting",
    ),
    path(
        "handledning/<int:meeting_id>/narvaro/",
        supervision_views.meeting_attendance,
        name="supervision_attendance",
    ),
    path(
        "handledning/anteckningar/<int:row_id>/",
        supervision_views.meeting_notes,
        name="supervision_notes",
    ),
    path("systembrister/", supervision_views.system_issues, name="system_issues"),
    path(
        "handledning/arbetsloggar/",
        worklog_views.supervisee_work,
        name="supervisee_work",
    ),
    path("mitt-arbete/", worklog_views.work_log, name="work_log"),
    path("mitt-arbete/ny/", worklog_views.work_log_add, name="work_log_add"),
    path("mitt-arbete/<int:entry_id>/", worklog_views.work_log_edit, name="work_log_edit"),
    path(
        "mitt-arbete/<int:entry_id>/ta-bort/",
        worklog_views.work_log_delete,
        name="work_log_delete",
    ),
    path("placeringar/<int:placement_id>/", followup_views.placement_detail, name="placement"),
    path(
        "placeringar/<int:placement_id>/sjukfranvaro/",
        followup_views.placement_sick_leave,
        name="placement_sick_leave",
    ),
    path("uppfoljning/", followup_views.event_list, name="follow_up"),
    path("uppfoljning/mina/", followup_views.my_events, name="follow_up_mine"),
    path("uppfoljning/<int:event_id>/", followup_views.event_detail, name="follow_up_event"),
    path(
        "uppfoljning/<int:event_id>/narvaro/",
        followup_views.event_attendance,
        name="follow_up_attendance",
    ),
    path("uppfoljning/<int:event_id>/inbjudan.ics", followup_views.event_ics, name="follow_up_ics"),
]
