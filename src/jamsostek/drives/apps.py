from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrivesConfig(AppConfig):
    name = "jamsostek.drives"
    label = "drives"
    verbose_name = _("Enrolment drives")

    def ready(self) -> None:
        """The planning panel on the coverage pages (coverage imports nothing from drives)."""
        from jamsostek.coverage import panels
        from jamsostek.drives.views import coverage_panel

        panels.register("drives", coverage_panel, order=50)
