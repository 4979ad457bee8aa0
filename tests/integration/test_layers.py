"""scripts/check-layers: the include layering of src/ holds, and the check fails on an include
that breaks it, on a known violation that grows, and on a layer missing from its table."""
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-layers"


def run(src=None):
    cmd = [sys.executable, str(SCRIPT)] + (["--src", str(src)] if src else [])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def copy_src(tmp_path):
    dst = tmp_path / "src"
    shutil.copytree(ROOT / "src", dst, ignore=shutil.ignore_patterns("*.txt", "*.cmake"))
    return dst


def test_the_project_holds_its_layering():
    r = run()
    assert r.returncode == 0, r.stderr
    assert "0 violation(s)" in r.stderr


def test_a_lower_layer_including_a_higher_one_fails(tmp_path):
    src = copy_src(tmp_path)
    (src / "core" / "sneaky.cpp").write_text('#include "source/stream_reader.hpp"\n')
    r = run(src)
    assert r.returncode == 1
    assert "core -> source is not allowed" in r.stderr
    assert "core/sneaky.cpp:1" in r.stderr


def test_the_demo_store_may_not_include_the_connector(tmp_path):
    src = copy_src(tmp_path)
    (src / "demo_store" / "shortcut.cpp").write_text('#include "core/time_util.hpp"\n')
    r = run(src)
    assert r.returncode == 1
    assert "demo_store -> core is not allowed" in r.stderr


def test_a_known_violation_may_not_grow(tmp_path):
    src = copy_src(tmp_path)
    (src / "source" / "more.cpp").write_text('#include "config/connector_config.hpp"\n')
    r = run(src)
    assert r.returncode == 1
    assert "source -> config" in r.stderr and "more than" in r.stderr


def test_a_new_layer_must_be_placed(tmp_path):
    src = copy_src(tmp_path)
    (src / "relational").mkdir()
    (src / "relational" / "x.cpp").write_text('#include "core/error.hpp"\n')
    r = run(src)
    assert r.returncode == 1
    assert "src/relational is not in the layer table" in r.stderr
