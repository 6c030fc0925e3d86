from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "jamsostek.claims"
    label = "claims"
    verbose_name = _("Claims")

    def ready(self) -> None:
        """The coverage pages show the protection delivered (claims paid) below their figures: a panel
        registered in ``core.panels`` (coverage imports nothing from claims)."""
        from jamsostek.claims.panels import protection_delivered
        from jamsostek.core.panels import register

        register("claims", protection_delivered, order=50)
