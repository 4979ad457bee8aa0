"""Helpers of test_nested_proof.py: an Airbyte-like destination in SQLite, the documented view,
and the demo store's own data read back from its REST API.

- DedupDestination loads the RECORD messages of successive syncs as Airbyte's append + dedup
  does: per stream a raw history; the final table keeps, per primary key, the row with the
  greatest cursor (null lowest), then the latest emitted_at (then the later message); a winner
  whose `_ab_cdc_deleted_at` is set deletes the key. Overwrite streams keep only their last
  sync's rows.
- view_template() reads the view SQL from docs/relational.md (the block after the
  `nested-view-template` marker; root_view_template() the one after `root-view-template`, the
  view of a root that lives under a parent), so the docs and the test cannot drift.
- StoreApi pages through the store's REST API (Basic auth over HTTPS, its CA) without any of the
  connector's code.
"""
import base64
import json
import pathlib
import re
import sqlite3
import ssl
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "relational.md"
MARKER = "nested-view-template"
ROOT_MARKER = "root-view-template"
DELETED_AT = "_ab_cdc_deleted_at"


def view_template(marker=MARKER):
    """The SQL block that follows the marker comment in docs/relational.md."""
    text = DOC.read_text()
    at = text.index(marker)
    m = re.compile(r"```sql\n(.*?)```", re.S).search(text, at)
    assert m, "docs/relational.md: no ```sql block after the " + marker + " marker"
    return m.group(1)


def root_view_template():
    return view_template(ROOT_MARKER)


def sqlite_value(v):
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, bool):
        return int(v)
    return v


def cursor_rank(v):
    """Null cursors sort lowest; numbers and strings compare within their kind."""
    if v is None:
        return (0, 0, "")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (1, v, "")
    return (2, 0, str(v))


def quote(name):
    return '"' + name.replace('"', '""') + '"'


class DedupDestination:
    def __init__(self):
        self.db = sqlite3.connect(":memory:")
        self.streams = {}  # name -> {"pk": [...], "cursor": str|None, "mode": str, "columns": [...]}
        self.raw = {}  # name -> [(emitted_at, seq, data)]
        self.seq = 0

    def load(self, configured_catalog, run):
        """Loads one sync: its configured catalog and its Run (conftest.Run)."""
        in_sync = set()
        for cs in configured_catalog["streams"]:
            s = cs["stream"]
            name = s["name"]
            in_sync.add(name)
            cursor = cs.get("cursor_field") or s.get("default_cursor_field") or []
            pk = cs.get("primary_key") or s.get("source_defined_primary_key") or []
            self.streams[name] = {
                "pk": [p[0] for p in pk],
                "cursor": cursor[0] if cs["sync_mode"] == "incremental" and cursor else None,
                "mode": cs["destination_sync_mode"],
                "columns": sorted(s["json_schema"]["properties"]),
            }
            if cs["destination_sync_mode"] == "overwrite":
                self.raw[name] = []
            self.raw.setdefault(name, [])
        for m in run.of("RECORD"):
            r = m["record"]
            assert r["stream"] in in_sync, "a record of a stream not in the catalog: " + r["stream"]
            self.seq += 1
            self.raw[r["stream"]].append((r["emitted_at"], self.seq, r["data"]))
        for name in in_sync:
            self._rebuild(name)

    def _rebuild(self, name):
        spec = self.streams[name]
        winners = {}
        for emitted_at, seq, data in self.raw[name]:
            key = tuple(json.dumps(data.get(c), sort_keys=True) for c in spec["pk"]) \
                if spec["pk"] else (seq,)
            rank = (cursor_rank(data.get(spec["cursor"])) if spec["cursor"] else (0, 0, ""),
                    emitted_at, seq)
            if key not in winners or rank > winners[key][0]:
                winners[key] = (rank, data)
        columns = spec["columns"]
        extra = sorted({k for _, data in winners.values() for k in data} - set(columns))
        assert not extra, f"{name}: fields outside the schema: {extra}"
        self.db.execute(f"DROP TABLE IF EXISTS {quote(name)}")
        self.db.execute(f"CREATE TABLE {quote(name)} ({', '.join(quote(c) for c in columns)})")
        rows = [[sqlite_value(data.get(c)) for c in columns]
                for _, data in winners.values() if data.get(DELETED_AT) is None]
        if rows:
            self.db.executemany(
                f"INSERT INTO {quote(name)} VALUES ({', '.join('?' for _ in columns)})", rows)

    def create_view(self, nested, root, root_key_match):
        sql = view_template().format(nested=nested, root=root, root_key_match=root_key_match)
        self.db.executescript(sql)
        return "current_" + nested

    def create_root_view(self, root, parent, parent_key_match):
        sql = root_view_template().format(root=root, parent=parent,
                                          parent_key_match=parent_key_match)
        self.db.executescript(sql)
        return "current_" + root

    def rows(self, table):
        cur = self.db.execute(f"SELECT * FROM {quote(table)}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


class StoreApi:
    """GET /wp-json/wc/v3/... on the demo store, every page."""

    def __init__(self, store):
        self.base = store.https + "/wp-json/wc/v3"
        self.ctx = ssl.create_default_context(cafile=store.ca_file)
        token = base64.b64encode(f"{store.key}:{store.secret}".encode()).decode()
        self.headers = {"Authorization": "Basic " + token}

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        req = urllib.request.Request(url, headers=self.headers)
        with urllib.request.urlopen(req, context=self.ctx, timeout=30) as r:
            return json.loads(r.read().decode()), r.headers

    def all(self, path, **params):
        out = []
        for page in range(1, 1000):
            body, headers = self.get(path, per_page=100, page=page, **params)
            out.extend(body)
            if page >= int(headers.get("X-WP-TotalPages", "1")):
                return out
        raise AssertionError(path + ": more than 1000 pages")
