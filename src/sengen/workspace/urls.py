from django.urls import path

from sengen.workspace.views import account, audit, declarations, imports, indicators

app_name = "workspace"
D = "<int:fiscal_year>/<str:department>/"
urlpatterns = [
    path("", declarations.home, name="home"),
    path("login/", account.sign_in, name="login"),
    path("logout/", account.sign_out, name="logout"),
    path("audit/", audit.entries, name="audit"),
    path("audit.csv", audit.entries_csv, name="audit_csv"),
    path("audit/<str:model>/<str:object_id>/", audit.record_history, name="audit_record"),
    path(D, declarations.detail, name="declaration"),
    path(D + "edit/", declarations.edit_text, name="edit_text"),
    path(D + "step/", declarations.step, name="step"),
    path(D + "revise/", declarations.revise, name="revise"),
    path(D + "next-year/", declarations.next_year, name="next_year"),
    path(D + "export.json", declarations.export_json, name="export_json"),
    path(D + "policies/add/", declarations.policy_add, name="policy_add"),
    path(D + "policies/<int:number>/", declarations.policy_edit, name="policy_edit"),
    path(D + "policies/<int:number>/delete/", declarations.policy_delete, name="policy_delete"),
    path(
        D + "policies/<int:number>/evaluation/<str:stage>/",
        declarations.policy_evaluation,
        name="policy_evaluation",
    ),
    path(D + "import/", imports.import_file, name="import"),
    path(D + "indicators/add/", indicators.add, name="indicator_add"),
    path(D + "indicators/<int:row>/", indicators.row, name="indicator"),
    path(
        D + "indicators/<int:row>/observations/<int:pk>/",
        indicators.observation_edit,
        name="observation_edit",
    ),
    path(D + "indicators/<int:row>/comment/", indicators.comment, name="indicator_comment"),
    path(D + "indicators/<int:row>/target/", indicators.revise_target, name="revise_target"),
]
