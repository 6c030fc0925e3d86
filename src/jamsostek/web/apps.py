from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(DjangoAdminConfig):
    default_site = "jamsostek.web.admin_site.BackOffice"


class WebConfig(AppConfig):
    """The top layer: settings, URLs, the API mount, the pages' frame and the commands that run the
    whole application (``demo``, ``serve``). Its templates and static files are found through
    ``TEMPLATES["DIRS"]`` and ``STATICFILES_DIRS``."""

    name = "jamsostek.web"
    label = "web"
    verbose_name = _("Web application")
