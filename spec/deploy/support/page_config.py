"""Calls verto_peer.page.page_config with Django configured in-process (no project).
stdin: JSON list of {"domain": VERTO_PEER_DOMAIN (null: None, as good as unset), "args": {page_config keyword arguments}}
stdout: JSON list of {"config": {...}} or {"error": "<exception class>: <message>"}"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../deploy/django"))


def main():
    import standalone

    standalone.setup()
    from django.test import override_settings
    from verto_peer.page import page_config

    out = []
    for case in json.load(sys.stdin):
        with override_settings(VERTO_PEER_DOMAIN=case["domain"]):
            try:
                out.append({"config": page_config(**case["args"])})
            except Exception as e:  # the test asserts which one
                out.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
