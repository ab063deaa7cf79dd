from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class VigilanceConfig(AppConfig):
    name = "vigilance"
    verbose_name = _("Vigilance")

    def ready(self):
        # allauth names its admin sections in English only ("MFA", "Authenticators"), and its
        # email addresses under "Accounts" as ours are: staff read the admin in French.
        mfa = apps.get_app_config("mfa")
        mfa.verbose_name = _("Two-factor authentication")
        authenticator = mfa.get_model("Authenticator")._meta
        authenticator.verbose_name, authenticator.verbose_name_plural = (
            _("authenticator app"),
            _("authenticator apps"),
        )
        apps.get_app_config("account").verbose_name = _("Email addresses")
