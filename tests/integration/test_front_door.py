"""The front door (src/app): one argv parser for every command, a table of commands, and one place
that turns an error into output and an exit code, in each command's output mode: Airbyte TRACE on
stdout, Singer text on stderr, the webhooks command's text, the receiver's log line; usage errors
exit 2 with the command's own usage text. No store is needed: the errors come from the command line
and from a config file that does not exist.

The binary comes from WCC_BIN, set by ctest.
"""
import json
import os
import re
import subprocess
import time

import pytest

BIN = os.environ.get("WCC_BIN")

pytestmark = pytest.mark.skipif(not BIN or not os.path.exists(BIN),
                                reason="set WCC_BIN (source-woocommerce) to run (ctest sets it)")

PROGRAM_USAGE = "usage: source-woocommerce <command> [options]"
WEBHOOKS_USAGE = "usage: source-woocommerce webhooks register"
SERVE_USAGE = "usage: source-woocommerce serve --config FILE"
MISSING = "cannot open the config file"


def run(*args, cwd):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_airbyte_verbs_report_a_trace_on_stdout(tmp_path):
    p = run("discover", "--config", "nope.json", cwd=tmp_path)
    assert p.returncode == 1
    [line] = p.stdout.splitlines()
    msg = json.loads(line)
    assert msg["type"] == "TRACE" and msg["trace"]["type"] == "ERROR"
    assert msg["trace"]["error"]["failure_type"] == "config_error"
    assert MISSING in msg["trace"]["error"]["message"]


def test_singer_mode_reports_text_on_stderr(tmp_path):
    p = run("--config", "nope.json", "--discover", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr.startswith("ERROR [config_error] ") and MISSING in p.stderr


def test_webhooks_failure_names_the_subcommand_on_stderr(tmp_path):
    p = run("webhooks", "list", "--config", "nope.json", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr.startswith("webhooks list failed: ") and MISSING in p.stderr


def test_serve_failure_is_an_error_line_of_its_log(tmp_path):
    p = run("serve", "--config", "nope.json", "--listen", "127.0.0.1:0", "--journal", "j.db",
            cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ERROR ", p.stderr), p.stderr
    assert MISSING in p.stderr
    assert not (tmp_path / "j.db").exists()


@pytest.mark.parametrize("args, prefix, usage", [
    (["read", "--config", "c.json"], "source-woocommerce: read needs --catalog FILE",
     PROGRAM_USAGE),
    (["frobnicate"], "source-woocommerce: unknown command 'frobnicate'", PROGRAM_USAGE),
    (["--config", "c.json", "--about", "--discover"], "source-woocommerce: give --discover or",
     PROGRAM_USAGE),
    (["webhooks", "purge", "--config", "c.json"], "webhooks: unknown subcommand 'purge'",
     WEBHOOKS_USAGE),
    (["webhooks", "list"], "webhooks: webhooks needs --config FILE", WEBHOOKS_USAGE),
    (["serve", "--config", "c.json"], "serve: serve needs --listen HOST:PORT", SERVE_USAGE),
    # Found by the command after parsing, reported by the same front door.
    (["serve", "--config", "c.json", "--listen", "nowhere"], "serve: --listen must be HOST:PORT",
     SERVE_USAGE),
])
def test_usage_errors_exit_2_with_the_commands_usage(tmp_path, args, prefix, usage):
    p = run(*args, cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    assert p.stderr.startswith(prefix), p.stderr
    assert usage in p.stderr


@pytest.mark.parametrize("args, usage", [
    (["--help"], PROGRAM_USAGE),
    (["read", "--help"], PROGRAM_USAGE),
    (["--config", "c.json", "--help"], PROGRAM_USAGE),
    (["webhooks", "--help"], WEBHOOKS_USAGE),
    (["serve", "-h"], SERVE_USAGE),
])
def test_help_prints_the_commands_usage_on_stdout(tmp_path, args, usage):
    p = run(*args, cwd=tmp_path)
    assert p.returncode == 0
    assert p.stderr == ""
    assert p.stdout.startswith(usage)


# serve's options in the config are checked by the same validator as every other option (the
# bounds of spec/spec.json); no store is needed to start the receiver.
SERVE_CONFIG = {"store_url": "https://shop.example", "consumer_key": "ck_front_door",
                "consumer_secret": "cs_front_door_secret", "webhook_secret": "whsec_front_door"}


@pytest.mark.parametrize("days, problem", [
    (0, "must be between 1 and 36500, got 0"),
    (36501, "must be between 1 and 36500, got 36501"),
    ("a fortnight", "must be an integer"),
])
def test_serve_refuses_webhook_retention_days_out_of_bounds(tmp_path, days, problem):
    (tmp_path / "c.json").write_text(json.dumps({**SERVE_CONFIG, "webhook_retention_days": days}))
    # Without the check the receiver would start and run: the timeout ends the test then.
    p = subprocess.run([BIN, "serve", "--config", "c.json", "--listen", "127.0.0.1:0",
                        "--journal", "j.db"], capture_output=True, text=True, timeout=30,
                       cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ERROR ", p.stderr), p.stderr
    assert "config field 'webhook_retention_days' " + problem in p.stderr, p.stderr
    assert "cs_front_door_secret" not in p.stderr and "whsec_front_door" not in p.stderr
    assert not (tmp_path / "j.db").exists()


@pytest.mark.parametrize("extra, days", [({}, 14), ({"webhook_retention_days": 3}, 3)])
def test_serve_keeps_deliveries_as_long_as_the_config_says(tmp_path, extra, days):
    (tmp_path / "c.json").write_text(json.dumps({**SERVE_CONFIG, **extra}))
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([BIN, "serve", "--config", "c.json", "--listen", "127.0.0.1:0",
                                 "--journal", "j.db"], stdout=subprocess.DEVNULL, stderr=err,
                                cwd=tmp_path)
    try:
        for _ in range(600):  # bounded: the receiver says where it listens, or exits
            if "Listening on" in log.read_text() or proc.poll() is not None:
                break
            time.sleep(0.05)
        text = log.read_text()
        assert "Listening on" in text, text
        assert f"retention {days} days" in text, text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
