"""Reads Odoo's test log and pytest's JUnit report, prints "N passed, N failed".

Exits non-zero on any failure or error, on a skipped test (Odoo skips browser tours
silently when Chromium or websocket-client is missing), on an error logged outside a
test (a broken data file, a failing post-install step) and on a runner that crashed.

    test_summary.py ODOO_LOG ODOO_RC [PYTEST_REPORT PYTEST_RC]
    test_summary.py --odoo-suites ODOO_LOG ODOO_RC

With --odoo-suites (Odoo's own suites, run by `setup/test --odoo-suites`) it also
requires the log to prove, before every suite, that our addons' overrides were active;
skipped tests fail the run unless named in ODOO_SUITES_ALLOWED_SKIPS.
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
OVERRIDES_ACTIVE = re.compile(r" odoo\.comms_odoo_suites: overrides active ")
OVERRIDES_MISSING = re.compile(r" odoo\.comms_odoo_suites: (overrides NOT active .*)")

# Odoo's own lines that sum up failed tests; they are not errors of their own.
ODOO_TEST_SUMMARY = re.compile(
    r" odoo\.(modules\.loading: (Module \S+: \d+ failures|At least one test failed)"
    r"|tests\.result: .* when loading database)"
)
TEST_RESULT = re.compile(r": (?:FAIL|ERROR): (?:Subtest )?(\S+)")

# Skipped tests fail Odoo's suites as they fail ours, unless named here. In 18.0 neither
# test_mail nor test_mail_sms skips a test of its own accord (no skip decorator or
# skipTest in them; a full run skips none), so a skip there comes from the environment
# (HttpCase tours skip silently without Chromium or websocket-client) or from something
# our addons changed: either way the referee did not look. Should a later 18.0 release
# add a legitimate skip, name it here ("TestClass.test_method") once its reason is read.
ODOO_SUITES_ALLOWED_SKIPS = ()


def read_odoo(log_path):
    """Tests run, failed, skipped, and errors logged besides the tests' results."""
    tests = failed = 0
    skipped, logged_errors = [], 0
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if match := SUMMARY.search(line):
                failures, errors, total = map(int, match.groups())
                tests, failed = total, failures + errors
            elif match := SKIPPED.search(line):
                skipped.append(match.group(1))
            elif LOGGED_ERROR.match(line) and not ODOO_TEST_SUMMARY.search(line):
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


def read_suites_log(log_path):
    """Checks of our overrides (passed, failed), errors logged as test results and the
    tests that failed (Odoo counts each failed subtest, e.g. per @users login)."""
    active, missing, results, failed_tests = 0, [], 0, set()
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if OVERRIDES_ACTIVE.search(line):
                active += 1
            elif match := OVERRIDES_MISSING.search(line):
                missing.append(match.group(1))
            elif LOGGED_ERROR.match(line) and (match := TEST_RESULT.search(line)):
                results += 1
                failed_tests.add(match.group(1))
    return active, missing, results, failed_tests


def main_odoo_suites(log_path, odoo_rc):
    odoo_tests, odoo_failed, odoo_skipped, logged_errors = read_odoo(log_path)
    active, missing, result_lines, failed_tests = read_suites_log(log_path)
    problems = []
    if int(odoo_rc):
        problems.append(f"Odoo exited with status {odoo_rc}")
    if not odoo_tests:
        problems.append("Odoo ran no test")
    if not active and not missing:
        problems.append("no check of our overrides in the log: did the suites run?")
    problems += missing
    # one result line per failed test or subtest; any other error is a problem
    if outside := logged_errors - result_lines - len(missing):
        problems.append(f"{outside} error(s) logged outside tests (see the log)")
    skipped = 0
    for name in odoo_skipped:
        if name.startswith(ODOO_SUITES_ALLOWED_SKIPS):
            print(f"skipped (allowed): {name}")
        else:
            problems.append(f"skipped: {name}")
            skipped += 1
    failed = len(failed_tests) or odoo_failed
    passed = max(odoo_tests - failed - len(odoo_skipped), 0)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"Odoo's suites: {odoo_tests} tests, {failed} failed", end=" ")
    print(f"({odoo_failed} failures and errors with subtests),", end=" ")
    print(f"{len(odoo_skipped)} skipped; our overrides checked active before", end=" ")
    print(f"{active} suite(s)")
    print(f"{passed} passed, {failed + skipped} failed")
    return 1 if problems or odoo_failed else 0


def main(log_path, odoo_rc, report_path=None, pytest_rc=0):
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
    if sys.argv[1:2] == ["--odoo-suites"]:
        sys.exit(main_odoo_suites(*sys.argv[2:]))
    sys.exit(main(*sys.argv[1:]))
