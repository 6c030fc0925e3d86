"""Every URL of the web app. Everything needs login except the login page itself and the language
switch, which the login page shows."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from jamsostek.accounts.forms import LoginForm
from jamsostek.web import views
from jamsostek.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("registry/", include("jamsostek.registry.urls")),
    path("claims/", include("jamsostek.claims.urls")),
    path("coverage/", include("jamsostek.coverage.urls")),
    path("drives/", include("jamsostek.drives.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
