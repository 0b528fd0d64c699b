from django.urls import path

from sengen.portal import downloads, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("reports/<int:fiscal_year>/<str:kind>.pdf", downloads.report_pdf, name="report_pdf"),
    path("data/", views.open_data, name="open_data"),
    path("data/<int:fiscal_year>/<str:fmt>/", downloads.year_download, name="year_download"),
    path(
        "data/<int:fiscal_year>/<str:department>/<str:fmt>/",
        downloads.declaration_download,
        name="declaration_download",
    ),
    path("departments/<str:department>/", views.department, name="department"),
    path("indicators/<str:number>/<str:name>/", views.indicator, name="indicator"),
    path("<int:fiscal_year>/<str:department>/", views.declaration, name="declaration"),
]
