"""Registry pages (namespace ``registry``)."""

from django.urls import path

from edubrain.registry import views

app_name = "registry"
urlpatterns = [
    path("schools/", views.school_list, name="school-list"),
    path("schools/<int:pk>/", views.school_detail, name="school-detail"),
    path("classes/", views.class_list, name="class-list"),
    path("classes/<int:pk>/", views.class_detail, name="class-detail"),
    path("students/", views.student_list, name="student-list"),
    path("students/<int:pk>/", views.student_detail, name="student-detail"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("figures/", views.figures, name="figures"),
]
