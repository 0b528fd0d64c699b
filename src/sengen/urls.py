from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sengen 管理 / administration"
admin.site.site_title = "Sengen"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sengen.api.api")),  # the HTTP API, /api/openapi.json and /api/docs
    # Japanese at /, English at /en/: a plain link switches language, no JavaScript or cookie needed.
    *i18n_patterns(
        path("workspace/", include("sengen.workspace.urls")),
        path("", include("sengen.portal.urls")),
        prefix_default_language=False,
    ),
]
