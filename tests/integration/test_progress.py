"""Progress for people on stderr (`read --progress`, Singer mode too) while stdout stays pure
protocol. A terminal run (ANSI redraws) is described in docs/singer.md and the session report;
here the display is forced into a pipe, where it prints plain `progress:` lines."""
import json
import re
import subprocess

from conftest import BIN, Connector

STREAMS = ["orders", "coupons", "customers", "tax_rates"]


def progress_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("progress: ")]


def test_forced_progress_into_a_pipe_shows_streams_and_counts(store, connector):
    cfg = store.config()
    cat = connector.catalog(cfg, STREAMS, mode="incremental")
    run = connector.run("read", "--progress", config=cfg, catalog=cat)  # stdout validated by Run
    assert run.returncode == 0, run.errors()
    lines = progress_lines(run.stderr)
    assert lines, run.stderr
    assert "\x1b" not in run.stderr  # no escapes into a pipe
    counts = store.counts()
    for stream in STREAMS:
        want = f"progress: {stream}: done, {counts[stream]:,} records"
        assert any(line.startswith(want) for line in lines), (want, lines)
    # The final picture: a summary and one line per stream with its count.
    total = sum(counts[s] for s in STREAMS)
    assert any(re.search(rf"{total:,} records in \d+:\d\d - 0 running, 4 done, 0 failed", line)
               for line in lines), lines
    for stream in STREAMS:
        assert any(re.match(rf"progress:\s+{stream}\s+{counts[stream]:,}\b", line)
                   for line in lines), (stream, lines)
    # Estimates (X-WP-Total) appear next to the counts of paged streams.
    assert any(re.match(rf"progress:\s+customers\s+{counts['customers']:,} / "
                        rf"{counts['customers']:,}\s+100%", line) for line in lines), lines
    assert len(run.records()) == total


def test_quiet_and_pipes_get_no_progress(store, connector):
    cfg = store.config()
    cat = connector.catalog(cfg, ["coupons"])
    for args in ([], ["--quiet"], ["--quiet", "--progress"]):
        run = connector.run("read", *args, config=cfg, catalog=cat)
        assert run.returncode == 0, run.errors()
        assert progress_lines(run.stderr) == [], args
        assert len(run.records("coupons")) == store.counts()["coupons"]


def test_rate_limit_wait_is_shown(tmp_path_factory, tmp_path):
    from conftest import start_store
    s = start_store(tmp_path_factory, "--seed", "3", "--orders", "120")
    try:
        c = Connector(tmp_path)
        # Two streams at once against a store allowing 4 requests in 4 s: 429s are certain.
        cfg = s.config(per_page=20, requests_per_window=0, max_concurrency=2)
        cat = c.catalog(cfg, ["orders", "customers"])
        s.control("rate_limit", {"requests": 4, "window_seconds": 4})
        run = c.run("read", "--progress", config=cfg, catalog=cat)
        assert run.returncode == 0, run.errors()
        assert s.control("stats")["rate_limited"] > 0, "the test did not provoke any 429"
        waits = [line for line in progress_lines(run.stderr)
                 if re.match(r"progress: (orders|customers): waiting on rate limit until "
                             r"\d\d:\d\d:\d\d$", line)]
        assert waits, run.stderr
    finally:
        s.control("rate_limit", {"requests": 0, "window_seconds": 1})
        s.stop()


def test_singer_mode_progress_keeps_stdout_singer(store, tmp_path):
    c = Connector(tmp_path)
    cfg = c.write("config.json", store.config())
    run = subprocess.run([BIN, "--config", cfg, "--progress"], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    for line in run.stdout.splitlines():
        assert json.loads(line)["type"] in ("SCHEMA", "RECORD", "STATE")
    lines = progress_lines(run.stderr)
    assert any(line.startswith("progress: orders: done") for line in lines), run.stderr
    # Log lines for people are there too, not mixed into stdout.
    assert "INFO orders: sync completed" in run.stderr
