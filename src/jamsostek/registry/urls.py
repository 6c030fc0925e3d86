from django.urls import path

from jamsostek.registry import views

app_name = "registry"
urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/report/<str:kind>/", views.import_report, name="report"),
    path("templates/<str:kind>.<str:extension>", views.template, name="template"),
]
