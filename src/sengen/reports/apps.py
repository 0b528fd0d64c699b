from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Print-quality reports (PDF, HTML) for council and residents: no models, no URLs."""

    name = "sengen.reports"
    label = "reports"
    verbose_name = "Reports"
