"""Reads Odoo's test log and pytest's JUnit report, prints "N passed, N failed".

Exits non-zero on any failure or error, on a skipped test (Odoo skips browser tours
silently when Chromium or websocket-client is missing), on an error logged outside a
test (a broken data file, a failing post-install step) and on a runner that crashed.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
SKIPPED = re.compile(r" odoo\.[\w.]+: skipped (.*)")
LOGGED_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def read_odoo(log_path):
    tests = failed = 0
    skipped, logged_errors = [], 0
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if match := SUMMARY.search(line):
                failures, errors, total = map(int, match.groups())
                tests, failed = total, failures + errors
            elif match := SKIPPED.search(line):
                skipped.append(match.group(1))
            elif LOGGED_ERROR.match(line):
                logged_errors += 1
    return tests, failed, skipped, logged_errors


def read_pytest(report_path):
    if not report_path or not os.path.exists(report_path):
        return 0, 0, []
    root = ET.parse(report_path).getroot()
    tests = failed = 0
    skipped = []
    for suite in root.iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    for case in root.iter("testcase"):
        if case.find("skipped") is not None:
            skipped.append(f"{case.get('classname')}.{case.get('name')}")
    return tests - len(skipped), failed, skipped


def main(log_path, odoo_rc, report_path, pytest_rc):
    odoo_tests, odoo_failed, odoo_skipped, logged_errors = read_odoo(log_path)
    py_tests, py_failed, py_skipped = read_pytest(report_path)
    problems = []
    if int(odoo_rc):
        problems.append(f"Odoo exited with status {odoo_rc}")
    if not odoo_tests:
        problems.append("Odoo ran no test")
    if logged_errors > odoo_failed:
        problems.append(
            f"{logged_errors - odoo_failed} error(s) logged outside tests (see the log)"
        )
    if int(pytest_rc) not in (0, 1):
        problems.append(f"pytest exited with status {pytest_rc}")
    for name in odoo_skipped + py_skipped:
        problems.append(f"skipped: {name}")
    skipped = len(odoo_skipped) + len(py_skipped)
    failed = odoo_failed + py_failed + skipped
    passed = odoo_tests - odoo_failed - len(odoo_skipped) + py_tests - py_failed
    for problem in problems:
        print(f"PROBLEM: {problem}")
    py_total = py_tests + len(py_skipped)
    print(f"Odoo: {odoo_tests} tests, {odoo_failed} failed", end="; ")
    print(f"pytest: {py_total} tests, {py_failed} failed")
    print(f"{passed} passed, {failed} failed")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
