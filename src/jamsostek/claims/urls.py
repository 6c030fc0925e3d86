from django.urls import path

from jamsostek.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.queues, name="queues"),
    path("new/", views.intake, name="intake"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="xlsx"),
    path("statistics.pdf", views.statistics_pdf, name="pdf"),
    path("<int:pk>/", views.claim_page, name="claim"),
    path("<int:pk>/documents/<int:document_id>/", views.document, name="document"),
    path("<int:pk>/<str:step>/", views.claim_step, name="step"),
]
