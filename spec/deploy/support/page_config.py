"""Calls verto_peer.page.page_config with Django configured in-process (no project).
stdin: JSON list of {"domain": VERTO_PEER_DOMAIN (null: None, as good as unset), "args": {page_config keyword arguments}}
stdout: JSON list of {"config": {...}} or {"error": "<exception class>: <message>"}"""
from django_cases import outcome, run_cases


def handler():
    from django.test import override_settings
    from verto_peer.page import page_config

    def handle(case):
        with override_settings(VERTO_PEER_DOMAIN=case["domain"]):
            return outcome("config", lambda: page_config(**case["args"]))

    return handle


if __name__ == "__main__":
    run_cases(handler)
