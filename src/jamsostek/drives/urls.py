from django.urls import path

from jamsostek.drives import views

app_name = "drives"
urlpatterns = [
    path("", views.index, name="index"),
    path("lists/import/", views.list_import, name="list_import"),
    path("lists/template.<str:extension>", views.list_template, name="list_template"),
    path("lists/<int:pk>/", views.list_page, name="list"),
    path("lists/<int:pk>/report.csv", views.list_report, name="list_report"),
    path("new/", views.prepare, name="prepare"),
    path("renewals/", views.renewals, name="renewals"),
    path("funding/", views.funding, name="funding"),
    path("plan/", views.plan, name="plan"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/", views.drive_page, name="drive"),
    path("<int:pk>/<str:step>/", views.step, name="step"),
]
