from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sengen.catalog"
    verbose_name = "目標宣言データ / Declarations catalog"
