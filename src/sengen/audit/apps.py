from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sengen.audit"
    verbose_name = "監査証跡 / audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sengen.audit import recorder

        recorder.connect()
