from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "sengen.workspace"
    verbose_name = "職員用ワークスペース / staff workspace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the sign-in audit receiver, even before the URLconf is first imported.
        from sengen.workspace.views import account  # noqa: F401
