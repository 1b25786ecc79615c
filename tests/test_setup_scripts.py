"""The newcomer's commands say what is missing instead of failing obscurely."""

import os
import pathlib
import stat
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _fake_python(tmp_path, body):
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def _run(command, python):
    env = dict(os.environ, PYTHON=python)
    return subprocess.run(
        [str(ROOT / "setup" / command)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_without_odoo_says_what_to_install(tmp_path):
    result = _run("run", _fake_python(tmp_path, "exit 1"))
    assert result.returncode != 0
    assert "Odoo is not importable" in result.stderr
    assert "Install Odoo 18.0 Community from source" in result.stderr


def test_run_with_another_odoo_version_is_refused(tmp_path):
    result = _run("test", _fake_python(tmp_path, "echo 17.0"))
    assert result.returncode != 0
    assert "Odoo 17.0 found" in result.stderr
    assert "needs Odoo 18.0" in result.stderr
