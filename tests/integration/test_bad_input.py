"""Bad input to every command: configs, catalogs and states that are malformed, of the wrong type,
huge, deeply nested, empty, binary, invalid UTF-8, a directory or a missing file. Each must end
in a clear error -- a TRACE with config_error and a non-zero exit for discover/read, a FAILED
CONNECTION_STATUS and exit 0 for check -- never in a crash, within a bounded time.

No store is needed: every input here is refused before the first request. The config used with
bad catalogs and states points at a closed loopback port, so an input that is wrongly accepted
ends in a connection error (transient_error), which the tests reject.
"""
import json
import os
import subprocess
import time

import pytest

from conftest import BIN, Run

TIME_LIMIT = 60  # seconds for one run, even for 50 MB inputs under ASan
CRASH_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "runtime error:", "LeakSanitizer",
               "Segmentation fault", "terminate called", "Aborted", "core dumped", "stack smashing",
               "Assertion", "std::bad_alloc")
GOOD_CONFIG = {"store_url": "https://127.0.0.1:9", "consumer_key": "ck_badinput_key",
               "consumer_secret": "cs_badinput_secret", "max_retries": 0}
GOOD_CATALOG = {"streams": [{"stream": {"name": "coupons", "json_schema": {},
                                        "supported_sync_modes": ["full_refresh"]},
                             "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
NEST = 100_000

# Bugs found by these tests, in code this file's author does not own; each test is marked as an
# expected failure (strict: the marker must go when the bug is fixed).
def nested_arrays(n=NEST):
    return b"[" * n + b"]" * n


def yaml_alias_bomb(levels=12):
    """A 'billion laughs' YAML file: 600 bytes that expand to 9^12 values."""
    lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


# name -> bytes, or a callable(tmp_path) returning a path (directory, missing file).
BAD_DOCUMENTS = {
    "empty": b"",
    "whitespace": b" \n\t\r\n",
    "truncated_json": b'{"store_url": "https://x", "streams": [',
    "trailing_garbage": b'{"a": 1} }}}',
    "json_list": b"[1, 2, 3]",
    "json_number": b"42",
    "json_string": b'"hello"',
    "json_null": b"null",
    "json_true": b"true",
    "nested_nonsense": json.dumps({"store_url": {"a": [[[{"b": None}]]]}, "consumer_key": [1],
                                   "consumer_secret": {"x": [True]}, "streams": {"s": [[1]]},
                                   "type": [], "data": 7}).encode(),
    "deep_json_arrays": nested_arrays(),
    "deep_json_objects": b'{"a":' * NEST + b"1" + b"}" * NEST,
    "deep_yaml_flow": b"a: " + nested_arrays(),
    "deep_yaml_block": "".join("  " * i + "- \n" for i in range(3000)).encode(),
    "binary_with_nul": bytes(range(256)) * 64,
    "binary_high_bytes": bytes(range(128, 256)) * 64,
    "invalid_utf8_json": b'{"store_url": "https://x.example/\xff\xfe", "streams": "\xc3"}',
    "utf16_bom": "{\"a\": 1}".encode("utf-16"),
    "yaml_tabs_and_colons": b"a:\tb: c: d\n\t- : :\n",
    "yaml_undefined_alias": b"a: *nothing\n",
    "huge_json_string": b'{"streams": "' + b"x" * (50 * 1024 * 1024) + b'"}',
    "over_64mb": b"[" + b"0," * (33 * 1024 * 1024) + b"0]",
    "directory": lambda tmp: str(tmp),
    "missing_file": lambda tmp: str(tmp / "does-not-exist.json"),
}
# Accepted by the YAML parser, but never a valid document of ours.
BAD_DOCUMENTS["yaml_scalar"] = b"just some words\n"


def write_doc(tmp, name, doc):
    if callable(doc):
        return doc(tmp)
    p = tmp / f"{name}.input"
    p.write_bytes(doc)
    return str(p)


def run_raw(args, timeout=TIME_LIMIT):
    """Runs the connector with bytes I/O: stdout must be valid UTF-8 and valid protocol."""
    start = time.monotonic()
    proc = subprocess.run([BIN, *args], capture_output=True, timeout=timeout,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})
    elapsed = time.monotonic() - start
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {stderr[-2000:]}"
    for mark in CRASH_MARKS:
        assert mark not in stderr, f"crash report on stderr: {stderr[-2000:]}"
    try:
        stdout = proc.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"stdout is not valid UTF-8 ({e}): {proc.stdout[:300]!r}") from None
    run = Run(proc, stdout, stderr)  # validates every line against the protocol schema
    run.elapsed = elapsed
    assert len(proc.stdout) < 1024 * 1024, "the error output echoes the input"
    return run


def assert_config_error(run, command):
    if command == "check":
        statuses = run.of("CONNECTION_STATUS")
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert len(statuses) == 1, run.stdout[-2000:]
        status = statuses[0]["connectionStatus"]
        assert status["status"] == "FAILED"
        assert status.get("message", "").strip()
    else:
        assert run.returncode != 0, run.stdout[-2000:]
        errors = run.errors()
        assert len(errors) == 1, run.stdout[-2000:] + run.stderr[-2000:]
        assert errors[0]["failure_type"] == "config_error", errors[0]
        assert errors[0]["message"].strip()
        assert not run.records()


def config_path(tmp):
    p = tmp / "good-config.json"
    p.write_text(json.dumps(GOOD_CONFIG))
    return str(p)


def catalog_path(tmp):
    p = tmp / "good-catalog.json"
    p.write_text(json.dumps(GOOD_CATALOG))
    return str(p)


@pytest.mark.parametrize("command", ["check", "discover", "read"])
@pytest.mark.parametrize("doc", sorted(BAD_DOCUMENTS))
def test_bad_config_is_a_config_error(command, doc, tmp_path):
    cfg = write_doc(tmp_path, doc, BAD_DOCUMENTS[doc])
    args = [command, "--config", cfg]
    if command == "read":
        args += ["--catalog", catalog_path(tmp_path)]
    run = run_raw(args)
    assert_config_error(run, command)


# Documents that are fine as a state: empty (no state) and JSON null (no state either).
STATE_OK = {"empty", "whitespace", "json_null"}


@pytest.mark.parametrize("doc", sorted(set(BAD_DOCUMENTS) - STATE_OK))
def test_bad_state_is_a_config_error(doc, tmp_path, request):
    state = write_doc(tmp_path, doc, BAD_DOCUMENTS[doc])
    run = run_raw(["read", "--config", config_path(tmp_path), "--catalog", catalog_path(tmp_path),
                   "--state", state])
    assert_config_error(run, "read")


@pytest.mark.parametrize("doc", sorted(BAD_DOCUMENTS))
def test_bad_catalog_is_a_config_error(doc, tmp_path):
    catalog = write_doc(tmp_path, doc, BAD_DOCUMENTS[doc])
    run = run_raw(["read", "--config", config_path(tmp_path), "--catalog", catalog])
    assert_config_error(run, "read")


WRONG_CATALOGS = {
    "streams_number": {"streams": 5},
    "streams_object": {"streams": {"name": "orders"}},
    "stream_item_number": {"streams": [5]},
    "stream_item_list": {"streams": [[{"stream": {"name": "orders"}}]]},
    "stream_not_object": {"streams": [{"stream": ["orders"], "sync_mode": "full_refresh"}]},
    "name_number": {"streams": [{"stream": {"name": 7}, "sync_mode": "full_refresh"}]},
    "sync_mode_number": {"streams": [{"stream": {"name": "orders"}, "sync_mode": 1}]},
    "sync_mode_unknown": {"streams": [{"stream": {"name": "orders"}, "sync_mode": "sideways"}]},
    "no_streams_key": {"stream": []},
}


@pytest.mark.parametrize("name", sorted(WRONG_CATALOGS))
def test_catalog_of_wrong_shape_is_a_config_error(name, tmp_path):
    p = tmp_path / "catalog.json"
    p.write_text(json.dumps(WRONG_CATALOGS[name]))
    run = run_raw(["read", "--config", config_path(tmp_path), "--catalog", str(p)])
    assert_config_error(run, "read")


WRONG_STATES = {
    "number_list": [1, 2],
    "stream_without_stream": [{"type": "STREAM"}],
    "stream_descriptor_number": [{"type": "STREAM", "stream": {"stream_descriptor": 3}}],
    "stream_state_list": [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"},
                                                        "stream_state": [1]}}],
    "type_number": [{"type": 5}],
    "type_unknown": [{"type": "PER_TABLE"}],
    "global_without_states": [{"type": "GLOBAL", "global": {"shared_state": {}}}],
    "global_states_strings": [{"type": "GLOBAL", "global": {"stream_states": ["orders"]}}],
    "legacy_data_list": [{"type": "LEGACY", "data": [1]}],
    "legacy_stream_number": {"orders": 5},
    "legacy_date_garbage": {"orders": {"date_modified": "yesterday"}},
    "single_message_bad": {"type": "STREAM", "stream": None},
}


@pytest.mark.parametrize("name", sorted(WRONG_STATES))
def test_state_of_wrong_shape_is_a_config_error(name, tmp_path):
    p = tmp_path / "state.json"
    p.write_text(json.dumps(WRONG_STATES[name]))
    run = run_raw(["read", "--config", config_path(tmp_path), "--catalog", catalog_path(tmp_path),
                   "--state", str(p)])
    assert_config_error(run, "read")


WRONG_CONFIGS = {
    "store_url_number": {**GOOD_CONFIG, "store_url": 443},
    "store_url_list": {**GOOD_CONFIG, "store_url": ["https://x"]},
    "store_url_not_url": {**GOOD_CONFIG, "store_url": "::::"},
    "store_url_huge": {**GOOD_CONFIG, "store_url": "https://" + "a" * 1_000_000 + ".com"},
    "key_object": {**GOOD_CONFIG, "consumer_key": {"k": "v"}},
    "secret_null": {**GOOD_CONFIG, "consumer_secret": None},
    "per_page_string": {**GOOD_CONFIG, "per_page": "many"},
    "per_page_float": {**GOOD_CONFIG, "per_page": 1.5},
    "per_page_huge": {**GOOD_CONFIG, "per_page": 10 ** 30},
    "per_page_negative": {**GOOD_CONFIG, "per_page": -1},
    "timeout_bool": {**GOOD_CONFIG, "request_timeout_seconds": True},
    "start_date_garbage": {**GOOD_CONFIG, "start_date": "the day before yesterday"},
    "start_date_number": {**GOOD_CONFIG, "start_date": 20240101},
    "auth_method_list": {**GOOD_CONFIG, "auth_method": ["basic"]},
    "auth_method_unknown": {**GOOD_CONFIG, "auth_method": "kerberos"},
    "ca_certificate_directory": {**GOOD_CONFIG, "ca_certificate": "/"},
    "ca_certificate_missing": {**GOOD_CONFIG, "ca_certificate": "/nonexistent/ca.pem"},
    "verify_tls_string": {**GOOD_CONFIG, "verify_tls": "perhaps"},
    "proxy_garbage": {**GOOD_CONFIG, "proxy_url": "socks9://??"},
    "deletion_detection_number": {**GOOD_CONFIG, "deletion_detection": 3},
}


@pytest.mark.parametrize("command", ["check", "discover", "read"])
@pytest.mark.parametrize("name", sorted(WRONG_CONFIGS))
def test_config_of_wrong_type_is_a_config_error(command, name, tmp_path, request):
    p = tmp_path / "config.json"
    p.write_text(json.dumps(WRONG_CONFIGS[name]))
    args = [command, "--config", str(p)]
    if command == "read":
        args += ["--catalog", catalog_path(tmp_path)]
    run = run_raw(args)
    assert_config_error(run, command)
    text = run.stdout + run.stderr
    assert GOOD_CONFIG["consumer_secret"] not in text and GOOD_CONFIG["consumer_key"] not in text


@pytest.mark.parametrize("where", ["config", "catalog", "state"])
def test_yaml_alias_bomb_is_refused_quickly(where, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_bytes(yaml_alias_bomb())
    files = {"config": config_path(tmp_path), "catalog": catalog_path(tmp_path)}
    files[where] = str(bomb)
    args = ["read", "--config", files["config"], "--catalog", files["catalog"]]
    if where == "state":
        args += ["--state", str(bomb)]
    run = run_raw(args, timeout=10)
    assert_config_error(run, "read")


@pytest.mark.parametrize("where", ["config", "catalog", "state"])
def test_invalid_utf8_in_yaml_never_reaches_stdout(where, tmp_path):
    # JSON input is checked for UTF-8 by the parser; YAML input must be too, or the bytes are
    # echoed (in an error or a warning) into stdout, which must be UTF-8 JSON.
    docs = {
        "config": b'store_url: "https://127.0.0.1:9/\xff\xfe"\nconsumer_key: ck_a1b2\n'
                  b"consumer_secret: cs_a1b2\nauth_method: \"\xc3\x28\"\n",
        "catalog": b"streams:\n  - stream: {name: \"or\xffders\"}\n    sync_mode: full_refresh\n",
        "state": b"- type: \"ST\xe2\x82REAM\"\n",
    }
    files = {"config": config_path(tmp_path), "catalog": catalog_path(tmp_path)}
    p = tmp_path / f"{where}.yaml"
    p.write_bytes(docs[where])
    files[where] = str(p)
    args = ["read", "--config", files["config"], "--catalog", files["catalog"]]
    if where == "state":
        args += ["--state", str(p)]
    run = run_raw(args)  # fails if stdout is not UTF-8
    assert run.returncode != 0
    assert [e["failure_type"] for e in run.errors()] == ["config_error"]


def test_missing_flag_value_is_a_usage_error(tmp_path):
    proc = subprocess.run([BIN, "discover", "--config"], capture_output=True, timeout=TIME_LIMIT)
    assert proc.returncode == 2 and proc.stdout == b"" and b"usage" in proc.stderr


def test_good_input_without_a_store_is_a_transient_error(tmp_path):
    # Sanity check of the harness itself: a good config and catalog with no store reads nothing
    # and ends in a transient connection error, not a config_error.
    run = run_raw(["read", "--config", config_path(tmp_path), "--catalog", catalog_path(tmp_path)])
    assert run.returncode != 0
    assert run.errors(), run.stdout
    assert {e["failure_type"] for e in run.errors()} == {"transient_error"}, run.stdout
