from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sengen 管理 / administration"
admin.site.site_title = "Sengen"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sengen.portal.urls")),
]
