"""The audit-trail screens: who sees which entries, filters, the CSV download, one record's history."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from sengen.audit import recorder
from sengen.audit.models import AuditEntry

from .conftest import CITIZENS, ENVIRONMENT

AUDIT = reverse("workspace:audit")
CSV = reverse("workspace:audit_csv")
TOKYO = dt.timezone(dt.timedelta(hours=9))


def entry(repr_: str, department: str, *, actor: str = "tanto", at: dt.datetime | None = None, **kw):
    with recorder.acting(recorder.Actor(None, actor, "workspace:observation_edit")):
        made = recorder.record(
            kw.pop("action", "update"),
            model=kw.pop("model", "catalog.policy"),
            object_id=kw.pop("object_id", repr_),
            object_repr=repr_,
            department=department,
            fiscal_year=kw.pop("fiscal_year", 2020),
            **kw,
        )
    if at is not None:
        AuditEntry.objects.filter(pk=made.pk).update(at=at)
    return made


@pytest.fixture
def trail(users):
    entry(
        "市民の方針",
        CITIZENS,
        changes=[
            {"field": "title", "old": "旧題", "new": "新題"},
            {"field": "body", "old": None, "new": "本文"},
        ],
        reason="見直し",
        at=dt.datetime(2021, 4, 10, 9, 0, tzinfo=TOKYO),
    )
    entry(
        "環境の方針",
        ENVIRONMENT,
        actor="kankyo",
        changes=[{"field": "title", "old": "A", "new": "B"}],
        at=dt.datetime(2021, 5, 20, 9, 0, tzinfo=TOKYO),
    )
    entry(
        "市民の指標",
        CITIZENS,
        action="create",
        model="catalog.observation",
        fiscal_year=2019,
        at=dt.datetime(2021, 6, 1, 23, 30, tzinfo=TOKYO),
    )


def page(client, **query) -> str:
    response = client.get(AUDIT, query)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_sign_in(clients):
    response = clients["anonymous"].get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))
    assert clients["anonymous"].get(CSV).status_code == 302


def test_viewer_sees_only_their_departments_entries(clients, trail):
    text = page(clients["viewer"])
    assert "市民の方針" in text and "市民の指標" in text
    assert "環境の方針" not in text
    assert "title: 旧題 → 新題" in text
    assert "body: — → 本文" in text
    assert "見直し" in text


def test_other_department_editor_sees_only_theirs(clients, trail):
    text = page(clients["other_editor"])
    assert "環境の方針" in text
    assert "市民の方針" not in text


def test_admin_sees_every_department_and_sign_ins(clients, trail):
    entry("サインインの記録", "", action="sign_in", model="auth.user", fiscal_year=None)
    text = page(clients["admin"])
    assert "市民の方針" in text and "環境の方針" in text and "サインインの記録" in text
    assert "サインインの記録" not in page(clients["approver"])


def test_user_without_a_role_sees_nothing(clients, trail):
    text = page(clients["no_role"])
    assert "市民の方針" not in text and "環境の方針" not in text
    assert "条件に合う記録はありません" in text


def test_times_are_shown_in_tokyo(clients, trail):
    assert "2021-06-01 23:30:00" in page(clients["viewer"], action="create")


def test_filters(clients, trail):
    admin = clients["admin"]
    by_department = page(admin, department=ENVIRONMENT)
    assert "環境の方針" in by_department and "市民の方針" not in by_department
    by_actor = page(admin, actor="kankyo")
    assert "環境の方針" in by_actor and "市民の方針" not in by_actor
    by_action = page(admin, action="create")
    assert "市民の指標" in by_action and "市民の方針" not in by_action
    by_model = page(admin, model="catalog.observation")
    assert "市民の指標" in by_model and "環境の方針" not in by_model
    by_year = page(admin, fiscal_year="2019")
    assert "市民の指標" in by_year and "市民の方針" not in by_year
    by_dates = page(admin, date_from="2021-05-01", date_to="2021-05-31")
    assert "環境の方針" in by_dates and "市民の方針" not in by_dates and "市民の指標" not in by_dates
    # A day is a Tokyo day: 23:30 on 1 June in Tokyo is still 1 June.
    assert "市民の指標" in page(admin, date_from="2021-06-01", date_to="2021-06-01")


def test_viewer_cannot_filter_into_another_department(clients, trail):
    text = page(clients["viewer"], department=ENVIRONMENT)
    assert "環境の方針" not in text
    # The refused choice is listed at the top, linked to its field, and shown next to it.
    assert '<a href="#id_department">部：' in text
    assert 'id="id_department_error"' in text
    assert 'aria-describedby="id_department_error"' in text


def test_reversed_dates_are_reported(clients, trail):
    text = page(clients["admin"], date_from="2021-06-01", date_to="2021-05-01")
    assert "「期間（まで）」は「期間（から）」と同じ日かそれより後にしてください" in text


def test_fifty_entries_per_page(clients, users):
    for n in range(60):
        entry(f"項目{n:02d}", CITIZENS)
    admin = clients["admin"]
    first = page(admin, department=CITIZENS)
    assert first.count(">項目") == 50
    assert "1 / 2 ページ" in first
    assert "項目59" in first and "項目09" not in first
    # The page links keep the filter.
    assert 'href="?department=%E5%B8%82%E6%B0%91%E7%94%9F%E6%B4%BB%E9%83%A8&amp;page=2"' in first
    second = page(admin, department=CITIZENS, page="2")
    assert second.count(">項目") == 10
    assert "項目09" in second and "項目59" not in second


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_bom_japanese_header_and_a_row_per_change(clients, trail):
    response = clients["viewer"].get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().strftime("%Y%m%d")
    assert f'filename="sengen-audit-{today}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "日時",
        "利用者",
        "画面・コマンド",
        "操作",
        "記録の種類",
        "記録のID",
        "記録",
        "部",
        "年度",
        "項目",
        "変更前",
        "変更後",
        "理由",
    ]
    policy = [r for r in rows[1:] if r[6] == "市民の方針"]
    assert [(r[9], r[10], r[11]) for r in policy] == [("title", "旧題", "新題"), ("body", "", "本文")]
    assert policy[0][0] == "2021-04-10T09:00:00+09:00"
    assert policy[0][1:4] == ["tanto", "workspace:observation_edit", "変更"]
    assert policy[0][7:9] == [CITIZENS, "2020"]
    assert policy[0][12] == "見直し"
    created = [r for r in rows[1:] if r[6] == "市民の指標"]
    assert len(created) == 1 and created[0][9:12] == ["", "", ""]
    assert not any(r[6] == "環境の方針" for r in rows)


def test_csv_uses_the_filters(clients, trail):
    rows = read_csv(clients["admin"].get(CSV, {"department": ENVIRONMENT}))
    assert {r[7] for r in rows[1:]} == {ENVIRONMENT}


def test_csv_neutralises_formulas_but_not_numbers(clients, users):
    entry('=HYPERLINK("x")', CITIZENS, changes=[{"field": "value", "old": "-5", "new": "@SUM(A1)"}])
    rows = read_csv(clients["admin"].get(CSV, {"department": CITIZENS, "action": "update"}))
    row = next(r for r in rows[1:] if r[9] == "value")
    assert row[6] == '\'=HYPERLINK("x")'
    assert (row[10], row[11]) == ("-5", "'@SUM(A1)")


def test_record_history_oldest_first(clients, trail):
    entry("市民の方針", CITIZENS, changes=[{"field": "title", "old": "新題", "new": "最新"}])
    response = clients["viewer"].get(reverse("workspace:audit_record", args=["catalog.policy", "市民の方針"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("旧題 → 新題") < text.index("新題 → 最新")


def test_record_history_404_and_403(clients, trail):
    viewer = clients["viewer"]
    missing = reverse("workspace:audit_record", args=["catalog.policy", "no-such-record"])
    assert viewer.get(missing).status_code == 404
    other = reverse("workspace:audit_record", args=["catalog.policy", "環境の方針"])
    assert viewer.get(other).status_code == 403
    assert clients["admin"].get(other).status_code == 200


def test_list_links_to_record_history(clients, trail):
    url = reverse("workspace:audit_record", args=["catalog.policy", "市民の方針"])
    assert f'href="{url}"' in page(clients["viewer"])


def test_django_admin_shows_the_trail_read_only(users, trail):
    from .conftest import client_for, make_user

    root = client_for(make_user("root", None, is_staff=True, is_superuser=True))
    changelist = root.get(reverse("admin:audit_auditentry_changelist"), {"q": "環境"})
    assert changelist.status_code == 200
    assert "環境の方針" in changelist.content.decode() and "市民の方針" not in changelist.content.decode()
    one = AuditEntry.objects.get(object_repr="環境の方針")
    change = root.get(reverse("admin:audit_auditentry_change", args=[one.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert root.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        root.post(reverse("admin:audit_auditentry_delete", args=[one.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.filter(pk=one.pk).exists()
    for name in ("membership", "workflowevent", "publication"):
        assert root.get(reverse(f"admin:workspace_{name}_changelist")).status_code == 200
    assert root.get(reverse("admin:workspace_workflowevent_add")).status_code == 403
    assert root.get(reverse("admin:workspace_membership_add")).status_code == 200
