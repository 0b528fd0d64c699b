from django.urls import path

from sengen.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:fiscal_year>/<str:department>/", views.declaration, name="declaration"),
]
