from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

from .conftest import EXAMPLES
from .stance_fixtures import DISPATCHES, filler

pytestmark = pytest.mark.engines


LOCAL = "http://127.0.0.1"  # a loopback Host: the server refuses TestClient's default "testserver"


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db), base_url=LOCAL)


def test_search_page_has_a_box_and_results(db: str) -> None:
    with Archive(db) as archive:
        archive.ingest([EXAMPLES], workers=1)
    client = client_for(db)
    page = client.get("/")
    assert page.status_code == 200 and '<input type="search" name="q"' in page.text
    page = client.get("/", params={"q": "prosperous powerful"})
    assert "International Support and Solidarity" in page.text
    assert "<mark>prosperous</mark>" in page.text
    hits = client.get("/api/search", params={"q": "Japan", "genre": "relayed_article"}).json()
    assert hits["total"] == 1
    article = client.get(f"/articles/{hits['hits'][0]['id']}")
    assert article.status_code == 200 and "Minju Joson" in article.text
    assert client.get("/api/articles/99999").status_code == 404
    bad = client.get("/", params={"q": '"unclosed'})
    assert bad.status_code == 400 and "unclosed quote" in bad.text  # said on the page, with a malformed query's status


def test_article_text_is_escaped(db: str, tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "source": "test",
        "title": "<script>alert(1)</script> Title",
        "body": 'Body with <img src=x onerror="alert(2)"> and <a href="javascript:alert(3)">link</a>.',
    }
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([tmp_path / "x.jsonl"], workers=1)
    client = client_for(db)
    page = client.get("/", params={"q": "Title"})
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    article = client.get("/articles/1")
    assert "<img src=x" not in article.text and 'href="javascript:' not in article.text
    assert "&lt;img" in article.text


def ingest_records(db: str, tmp_path: Path, records: list[dict[str, object]], name: str = "r.jsonl") -> None:
    (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([tmp_path / name], workers=1)


# Distinct stories (near-identical bodies would be folded into one story by duplicate detection).
EVENTS = [
    "Farmers of Sukchon County started transplanting rice on the cooperative fields early this spring.",
    "A new hydroelectric power station went into operation in the northern mountains after two years of work.",
    "Students of Kim Chaek University of Technology won first place in the national programming contest.",
    "The State Symphony Orchestra gave a concert of classical pieces at the Moranbong Theatre on Sunday.",
    "Fishermen of the east coast landed a record catch of sardines despite the rough winter weather.",
    "A photo exhibition on the history of the railway opened at the Grand People's Study House yesterday.",
]
RECORDS: list[dict[str, object]] = [
    {
        "id": f"w{i}",
        "source": "test",
        "date": f"201{i % 3 + 5}-03-0{i + 1}",
        "title": f"Report {i}",
        "body": f"Pyongyang, March {i + 1} (KCNA) -- The Japanese reactionaries and the U.S. imperialists were "
        f"denounced by Kim Yong Nam in talks number {i}. {EVENTS[i]}",
    }
    for i in range(6)
]


def test_facets_histogram_and_filters(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, RECORDS)
    client = client_for(db)
    body = client.get("/api/search", params={"q": "reactionaries", "facets": "true"}).json()
    assert body["total"] == 6
    assert {"value": "JP", "count": 6} in body["facets"]["target"]
    assert [d["value"] for d in body["facets"]["date"]] == ["2015", "2016", "2017"]
    assert client.get("/api/search", params={"target": "JP", "since": "2017"}).json()["total"] == 2
    page = client.get("/", params={"q": "reactionaries"})
    assert 'data-facet="target"' in page.text and "<svg" in page.text and "/?q=reactionaries&amp;target=JP" in page.text
    bad = client.get("/api/search", params={"technique": "Shouting"})
    assert bad.status_code == 400 and "unknown technique" in bad.json()["error"]


def test_article_page_has_layers_and_history(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, RECORDS[:1])
    edited = dict(RECORDS[0], body=str(RECORDS[0]["body"]).replace("number 0", "number zero"))
    ingest_records(db, tmp_path, [edited], "edited.jsonl")
    client = client_for(db)
    page = client.get("/articles/1")
    assert 'data-layer="epithet"' in page.text and 'class="hl hl-epithet epithet-hostile' in page.text
    assert 'title="epithet, hostile toward JP' in page.text and "/static/app.js" in page.text
    history = client.get("/articles/1/history")
    assert history.status_code == 200 and "<del>0.</del>" in history.text and "<ins>zero.</ins>" in history.text
    diff = client.get("/api/articles/1/diff").json()
    assert diff["change"] == "minor" and diff["from"] == 1 and diff["to"] == 2
    assert [v["version"] for v in client.get("/api/articles/1/versions").json()] == [1, 2]
    assert client.get("/static/style.css").status_code == 200


def test_exports_stream_every_match(db: str, tmp_path: Path) -> None:
    import io

    import pyarrow.parquet as pq

    ingest_records(db, tmp_path, RECORDS)
    client = client_for(db)
    lines = client.get("/api/export", params={"q": "talks", "format": "jsonl"}).text.splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["countries"] == ["JP", "US"]
    csv_text = client.get("/api/export", params={"country": "JP", "format": "csv"}).text
    assert csv_text.splitlines()[0] == "id,date,title,genre,source,lang,url,countries,persons,body"
    assert len(csv_text.strip().splitlines()) == 7
    table = pq.read_table(io.BytesIO(client.get("/api/export", params={"format": "parquet"}).content))
    assert table.num_rows == 6 and table.column("title").to_pylist()[0] == "Report 0"


def test_dashboard_draws_its_charts(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, RECORDS)
    page = client_for(db).get("/dashboard", params={"country": "JP"})
    assert page.status_code == 200 and page.text.count("<svg") >= 3 and "hostility toward JP" in page.text


def test_writes_need_the_token_and_read_only_refuses(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, RECORDS[:1])
    guarded = TestClient(create_app(db, token="s3cret"), base_url=LOCAL)
    body = {"name": "japan", "query": "reactionaries", "filters": {"countries": ["JP"]}}
    assert guarded.post("/api/saved", json=body).status_code == 403
    made = guarded.post("/api/saved", json=body, headers={"Authorization": "Bearer s3cret"})
    assert made.status_code == 201 and made.json()["filters"] == {"countries": ["JP"]}
    closed = TestClient(create_app(db, writable=False), base_url=LOCAL)
    refused = closed.post("/api/ingest", content=b'{"id": "z", "title": "T", "body": "B"}\n')
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    assert closed.get("/api/saved").json()[0]["name"] == "japan"


def test_saved_search_feed_webhook_and_digest(db: str, tmp_path: Path) -> None:
    import datetime as dt

    from propscope.alerts import deliver_alerts

    ingest_records(db, tmp_path, RECORDS[:2])
    client = client_for(db)
    saved = client.post("/api/saved", json={"name": "jp", "query": "reactionaries", "webhook": "http://hook.test/x"})
    saved_id = saved.json()["id"]
    new = json.dumps(dict(RECORDS[2], id="new1", title="Fresh <b>Report</b>")) + "\n"
    assert client.post("/api/ingest", content=new.encode()).json()["added"] == 1
    posted: list[tuple[str, dict[str, object]]] = []
    with Archive(db) as archive:
        # the ingest above tried the (unreachable) hook: nothing was marked delivered, so it is sent now
        assert deliver_alerts(archive.store, lambda url, body: posted.append((url, body)) or 204) == {"jp": 1}
        assert deliver_alerts(archive.store, lambda url, body: posted.append((url, body)) or 204) == {}
    ((url, body),) = posted
    assert url == "http://hook.test/x" and body["articles"][0]["title"] == "Fresh <b>Report</b>"  # type: ignore[index]
    feed = client.get(f"/saved/{saved_id}/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Fresh &lt;b&gt;Report&lt;/b&gt;" in feed.text and feed.text.count("<entry>") == 3
    today = dt.datetime.now(dt.UTC).date().isoformat()
    digest = client.get("/digest", params={"day": today})
    assert "Fresh &lt;b&gt;Report&lt;/b&gt;" in digest.text and "3 new" in digest.text


def test_bad_choices_are_422_and_domain_errors_keep_their_status(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, RECORDS[:2])
    client = client_for(db)
    for path, params in [
        ("/api/trends", {"country": "JP", "by": "week"}),
        ("/api/search", {"q": "talks", "sort": "best"}),
        ("/api/export", {"format": "xlsx"}),
        ("/api/search", {"genre": "poem"}),
        ("/dashboard", {"by": "day"}),
    ]:
        assert client.get(path, params=params).status_code == 422, path
    bad_date = client.get("/api/search", params={"since": "last year"})
    assert bad_date.status_code == 422 and bad_date.json() == {
        "error": "since 'last year' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    }
    assert client.get("/api/trends", params={"metric": "mentions"}).status_code == 422  # needs a country
    assert client.get("/api/trends", params={"metric": "loudness", "country": "JP"}).status_code == 422
    assert client.get("/api/articles/1/diff", params={"a": 1, "b": 9}).status_code == 404
    assert client.get("/api/search", params={"q": '"unclosed'}).status_code == 400
    page = client.get("/articles/999", headers={"accept": "text/html"})
    assert page.status_code == 404 and "no article with id 999" in page.text and "<html" in page.text
    trend = client.get("/api/trends", params={"country": "jp", "by": "year"}).json()
    assert trend["metric"] == "hostility" and trend["country"] == "JP" and trend["points"][0]["period"] == "2015"


def test_the_api_export_has_the_cli_export_shape(db: str, tmp_path: Path) -> None:
    import io

    import pyarrow.parquet as pq

    from propscope.analyze.export import COLUMNS

    ingest_records(db, tmp_path, RECORDS[:3])
    client = client_for(db)
    rows = [json.loads(line) for line in client.get("/api/export", params={"format": "jsonl"}).text.splitlines()]
    assert set(rows[0]) == {*COLUMNS, "archive_id"} and rows[0]["id"] == "w0" and rows[0]["archive_id"] == 1
    table = pq.read_table(io.BytesIO(client.get("/api/export", params={"format": "parquet"}).content))
    assert table.column_names == list(COLUMNS) and table.column("id").to_pylist() == [1, 2, 3]
    out = tmp_path / "cli.jsonl"
    with Archive(db, readonly=True) as archive:
        assert archive.export(out, "jsonl") == 3
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == rows
    with Archive(db, readonly=True) as archive:
        archive.export(tmp_path / "cli.csv", "csv")
    assert (tmp_path / "cli.csv").read_bytes() == client.get("/api/export", params={"format": "csv"}).content


def test_the_web_reads_only_through_the_archive() -> None:
    """The facade holds: no route reaches past Archive into its store (or reads the environment)."""
    import re

    import propscope.web

    package = Path(propscope.web.__file__).parent
    for source in sorted(package.rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"\.store\b", text), source
        assert "os.environ" not in text, source


@pytest.mark.engines
def test_the_feed_is_xml_whatever_characters_titles_hold(db: str, tmp_path: Path) -> None:
    """An ANSI escape (kept by the text reader), U+FFFF and C1 (kept by JSON Lines) in titles once made the
    Atom feed no XML at all: a feed reader refused all of it."""
    import xml.etree.ElementTree as ET

    (tmp_path / "escape.txt").write_text(
        "Report \x1b[31mred\x1b[0m\x0cend\n\nPyongyang, March 9 (KCNA) -- The reactionaries were denounced.\n"
    )
    ingest_records(db, tmp_path, [dict(RECORDS[0], title="Report \uffff\x9b wide"), RECORDS[1]])
    with Archive(db) as archive:
        archive.ingest([tmp_path / "escape.txt"], workers=1)
    client = client_for(db)
    saved_id = client.post("/api/saved", json={"name": "all", "query": "reactionaries"}).json()["id"]
    feed = client.get(f"/saved/{saved_id}/feed.atom")
    titles = [e.text for e in ET.fromstring(feed.content).iter("{http://www.w3.org/2005/Atom}title")]
    assert sorted(titles) == sorted(
        ["propscope: all", "Report \ufffd[31mred\ufffd[0m\ufffdend", "Report \ufffd\ufffd wide", "Report 1"]
    )


def test_search_by_stance_in_the_api_and_as_facets(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, DISPATCHES)
    client = client_for(db)
    found = client.get("/api/search", params={"stance": "hostile", "toward": "US", "facets": "true"}).json()
    assert [h["title"] for h in found["hits"]] == ["Park Group Denounced"]
    assert {"value": "US", "count": 1} in found["facets"]["hostile"]
    friendly = client.get("/api/search", params=[("stance", "friendly"), ("toward", "cn")]).json()
    assert friendly["total"] == 2
    alone = client.get("/api/search", params={"stance": "hostile"})
    assert alone.status_code == 422 and alone.json() == {
        "error": "stance hostile needs toward: the country it is taken toward (an ISO code, e.g. US)"
    }
    assert client.get("/api/search", params={"toward": "US"}).status_code == 422

    page = client.get("/")
    assert "<h4>hostile toward</h4>" in page.text and "<h4>friendly toward</h4>" in page.text
    facet = re.search(r'<ul data-facet="hostile">.*?<a href="([^"]+)"[^>]*data-value="US"', page.text, re.S)
    assert facet is not None and "stance=hostile" in facet.group(1) and "toward=US" in facet.group(1)
    narrowed = client.get(html.unescape(facet.group(1)))
    assert "Park Group Denounced" in narrowed.text and "CPC Supports DPRK" not in narrowed.text
    assert '<input type="hidden" name="stance" value="hostile">' in narrowed.text  # the box keeps it
    on = re.search(r'<ul data-facet="hostile">.*?<a href="([^"]+)" class="on" data-value="US"', narrowed.text, re.S)
    assert on is not None and "stance" not in on.group(1)  # clicked again: the filter is off


def test_article_page_shows_each_countrys_stance_with_its_evidence(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, DISPATCHES)
    client = client_for(db)
    (hit,) = client.get("/api/search", params={"stance": "hostile", "toward": "US"}).json()["hits"]
    page = client.get(f"/articles/{hit['id']}").text
    stance = page[page.index('<section class="card" id="stance">') : page.index("</section>")]
    assert '<tr data-country="US" data-stance="hostile">' in stance
    assert '<tr data-country="KR" data-stance="hostile">' in stance
    anchors = re.findall(r'<a href="#(evidence-\d+)" class="evidence">epithet</a> “U.S. imperialists”', stance)
    assert anchors and f'<a id="{anchors[0]}" class="anchor"></a>' in page  # the link lands on the span
    assert 'class="hl hl-epithet epithet-hostile hl-stance stance-hostile"' in page
    assert 'title="epithet, hostile toward US; hostile toward US (sentence); hostile toward US (epithet)"' in page
    assert 'data-layer="stance" checked' in page
    detail = client.get(f"/api/articles/{hit['id']}").json()
    assert detail["stance"] == {"KR": "hostile", "US": "hostile"}
    assert {"country": "US", "stance": "hostile", "kind": "epithet", "text": "U.S. imperialists"}.items() <= next(
        e for e in detail["stance_evidence"] if e["kind"] == "epithet"
    ).items()


def test_dashboard_counts_foreign_supporters_unless_switched_and_marks_sparse_points(db: str, tmp_path: Path) -> None:
    ingest_records(db, tmp_path, [*DISPATCHES, *filler(2016, 26)])
    client = client_for(db)
    page = client.get("/dashboard", params={"country": "CN"}).text
    actors = page[page.index('id="actors"') : page.index('id="support"')]
    assert "Communist Party of China" in actors and "Chongryon" not in actors
    assert "2 · 2 art." in actors  # events · the articles behind them
    assert '<option value="compatriot" >compatriots</option>' in page
    mentions = page[page.index('id="mentions"') : page.index('id="hostility"')]
    assert mentions.count('class="sparse"') == 1 and "fewer than 30 articles behind the point" in mentions
    assert "2015: 1.000 (1 article, too few to read)" in mentions and "2016: 0.033 (30 articles)" in mentions
    assert 'class="articles">n=1</text>' in mentions and 'class="articles">n=30</text>' in mentions
    switched = client.get("/dashboard", params={"country": "CN", "role": "compatriot"}).text
    actors = switched[switched.index('id="actors"') : switched.index('id="support"')]
    assert "Chongryon" in actors and "Communist Party of China" not in actors
    assert client.get("/dashboard", params={"role": "adversary"}).status_code == 422

    points = client.get("/api/trends", params={"metric": "mentions", "country": "CN", "by": "year"}).json()
    assert [(p["period"], p["articles"], p["sparse"]) for p in points["points"]] == [
        ("2015", 1, True),
        ("2016", 30, False),
    ]
    assert points["sparse_below"] == 30
    rows = client.get("/api/actors", params={"role": "compatriot"}).json()
    assert [r["role"] for r in rows] == ["compatriot"] and rows[0]["variants"]
    assert [r["actor"] for r in client.get("/api/actors").json()] == ["Communist Party of China"]
    assert client.get("/api/actors", params={"role": "adversary"}).status_code == 422
    support = client.get("/api/support", params={"role": "all"}).json()
    assert support["roles"] == ["foreign", "compatriot"]
    assert support["periods"] == [
        {"period": "2015", "articles": 1, "sparse": True},
        {"period": "2016", "articles": 30, "sparse": False},
    ]
