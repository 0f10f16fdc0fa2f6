"""Calls verto_peer.turn with Django configured in-process (no project).
stdin: JSON list of {"settings": {VERTO_PEER_TURN_*: value, ...}, "client_id": str, "now": unix seconds}
       or {"credential": [secret, client_id, expires_at]} for turn_credential itself
stdout: JSON list of {"result": ...} or {"error": "<exception class>: <message>"}"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../deploy/django"))


def main():
    import standalone

    standalone.setup()
    from django.test import override_settings
    from verto_peer.turn import turn_credential, turn_ice_servers

    out = []
    for case in json.load(sys.stdin):
        try:
            if "credential" in case:
                out.append({"result": list(turn_credential(*case["credential"]))})
            else:
                with override_settings(**case["settings"]):
                    out.append({"result": turn_ice_servers(case["client_id"], now=case["now"])})
        except Exception as e:  # the test asserts which one
            out.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
