from django.urls import path

from tutti.newsletters.views import manage

app_name = "newsletters-manage"
urlpatterns = [
    path("", manage.list_index, name="lists"),
    path("lists/new/", manage.list_create, name="list-create"),
    path("lists/<int:pk>/", manage.list_detail, name="list"),
    path("lists/<int:pk>/edit/", manage.list_edit, name="list-edit"),
    path("lists/<int:pk>/members/", manage.list_members, name="members"),
    path("lists/<int:pk>/members/add/", manage.members_add, name="members-add"),
    path("lists/<int:pk>/issues/new/", manage.issue_create, name="issue-create"),
    path("issues/<int:pk>/", manage.issue_detail, name="issue"),
    path("issues/<int:pk>/edit/", manage.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/test/", manage.issue_test, name="issue-test"),
    path("issues/<int:pk>/send/", manage.issue_send, name="issue-send"),
    path("issues/<int:pk>/images/", manage.image_upload, name="image-upload"),
]
