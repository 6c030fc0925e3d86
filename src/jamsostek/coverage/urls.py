from django.urls import path

from jamsostek.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="xlsx"),
    path("report.pdf", views.export_pdf, name="pdf"),
    path("<str:code>/", views.region, name="region"),
]
