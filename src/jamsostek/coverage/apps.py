from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "jamsostek.coverage"
    label = "coverage"
    verbose_name = _("Coverage")

    def ready(self) -> None:
        from jamsostek.coverage.indicators import connect_signals

        connect_signals()
