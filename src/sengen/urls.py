from django.urls import include, path

urlpatterns = [
    path("", include("sengen.portal.urls")),
]
