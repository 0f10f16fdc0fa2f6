"""Calls verto_peer.turn with Django configured in-process (no project).
stdin: JSON list of {"settings": {VERTO_PEER_TURN_*: value, ...}, "client_id": str, "now": unix seconds}
       or {"credential": [secret, client_id, expires_at]} for turn_credential itself
stdout: JSON list of {"result": ...} or {"error": "<exception class>: <message>"}"""
from django_cases import outcome, run_cases


def handler():
    from django.test import override_settings
    from verto_peer.turn import turn_credential, turn_ice_servers

    def result(case):
        if "credential" in case:
            return list(turn_credential(*case["credential"]))
        with override_settings(**case["settings"]):
            return turn_ice_servers(case["client_id"], now=case["now"])

    return lambda case: outcome("result", lambda: result(case))


if __name__ == "__main__":
    run_cases(handler)
