from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "jamsostek.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        """A membership change that reaches billed months becomes adjustment notes (the registry calls
        this through its hook: it imports nothing from contributions)."""
        from jamsostek.contributions.services import adjust_billed
        from jamsostek.registry.hooks import on_membership_change

        on_membership_change(adjust_billed)
