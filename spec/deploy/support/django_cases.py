"""What the Django harnesses here share: Debian's Django configured in-process (no project), a JSON
list of cases on stdin, a JSON list of outcomes on stdout, one outcome per case."""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../deploy/django"))


def run_cases(make_handler, **settings):
    """Configures Django with `settings`, then asks `make_handler()` (which may import Django code
    now) for the function that turns one case into its outcome."""
    import standalone

    standalone.setup(**settings)
    handle = make_handler()
    json.dump([handle(case) for case in json.load(sys.stdin)], sys.stdout)


def outcome(key, work):
    """{key: work()}, or the exception the test asserts: {"error": "<class>: <message>"}."""
    try:
        return {key: work()}
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}
