from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Not needed to serve the API (urls.py mounts it; its docs page renders its template by path);
    listed in INSTALLED_APPS so `sengen check` and template loaders know about it."""

    name = "sengen.api"
    label = "sengen_api"
    verbose_name = "API"
