from django.urls import path

from tutti.cpd.views import claims, days, members, public, record, space, surveys

app_name = "cpd"
N = "<slug:network_slug>/"
urlpatterns = [
    path("", public.network_list, name="list"),
    path("certificates/<str:token>/", public.certificate_check, name="verify"),
    path("surveys/<str:token>/", surveys.survey_school, name="survey-school"),
    path(N, public.network_detail, name="detail"),
    path(f"{N}join/", public.network_join, name="join"),
    path(f"{N}accept/", public.network_accept, name="accept"),
    path(f"{N}members/", members.member_list, name="members"),
    path(f"{N}members/<int:pk>/", members.member_action, name="member-action"),
    path(f"{N}space/", space.space, name="space"),
    path(f"{N}space/new/", space.thread_new, name="thread-new"),
    path(f"{N}space/<int:pk>/", space.thread_detail, name="thread"),
    path(f"{N}space/<int:pk>/moderate/", space.thread_moderate, name="thread-moderate"),
    path(f"{N}space/replies/<int:pk>/moderate/", space.reply_moderate, name="reply-moderate"),
    path(f"{N}resources/", space.resource_list, name="resources"),
    path(f"{N}resources/new/", space.resource_new, name="resource-new"),
    path(f"{N}resources/<int:pk>/file/", space.resource_file, name="resource-file"),
    path(f"{N}resources/<int:pk>/moderate/", space.resource_moderate, name="resource-moderate"),
    path(f"{N}my-settings/", space.my_settings, name="my-settings"),
    path(f"{N}days/new/", days.day_new, name="day-new"),
    path(f"{N}days/<int:pk>/", days.day_detail, name="day"),
    path(f"{N}days/<int:pk>/book/", days.day_book, name="day-book"),
    path(f"{N}days/<int:pk>/programme/", days.day_programme, name="day-programme"),
    path(f"{N}days/<int:pk>/attendance/", days.day_attendance, name="day-attendance"),
    path(f"{N}claims/", claims.school_claims, name="claims"),
    path(f"{N}claims/days/<int:pk>/", claims.claim_new, name="claim-new"),
    path(f"{N}my-record/", record.my_record, name="my-record"),
    path(f"{N}certificates/day-<int:pk>.pdf", record.certificate_day, name="certificate-day"),
    path(f"{N}certificates/<int:year>.pdf", record.certificate_year, name="certificate-year"),
    path(f"{N}visits/", record.visit_list, name="visits"),
    path(f"{N}visits/<int:pk>/", record.visit_detail, name="visit"),
    path(f"{N}surveys/", surveys.survey_list, name="surveys"),
    path(f"{N}surveys/new/", surveys.survey_new, name="survey-new"),
    path(f"{N}surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path(f"{N}surveys/<int:pk>/answer/", surveys.survey_answer, name="survey-answer"),
    path(f"{N}planning/", surveys.planning, name="planning"),
]
