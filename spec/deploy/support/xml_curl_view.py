"""Drives verto_peer.views.xml_curl_directory with Django's RequestFactory (no server, no project).
stdin: JSON list of {"post": {...}, "auth": "user:password" or null, "method": "POST"|"GET",
                     "settings": {setting overrides for this case}}
stdout: JSON list of {"status", "contentType", "body"}, or {"error": "<exception class>: <message>"}"""
import base64

from django_cases import outcome, run_cases

# The directory the lookup answers from: u1 in channel c1; u2's site data is unusable (a comma).
# The site would also answer u1 in another domain: the view must not ask it (VERTO_PEER_DOMAIN).
USERS = {
    ("u1", "pbx.example.org"): {"password": "p<&>'\"", "channels": ["c1"]},
    ("u2", "pbx.example.org"): {"password": "p", "channels": ["c1,c2"]},
    ("u1", "other.example.org"): {"password": "p", "channels": ["c1"]},
}


def lookup(user_id, domain):
    return USERS.get((user_id, domain))


def handler():
    from django.test import RequestFactory, override_settings
    from verto_peer.views import xml_curl_directory

    factory = RequestFactory()

    def handle(case):
        extra = {}
        if case.get("auth") is not None:
            extra["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(case["auth"].encode()).decode()
        make = factory.get if case.get("method") == "GET" else factory.post
        with override_settings(**case.get("settings", {})):
            result = outcome("response", lambda: xml_curl_directory(make("/freeswitch/directory/", case.get("post", {}), **extra)))
        if "error" in result:
            return result
        response = result["response"]
        return {"status": response.status_code, "contentType": response.get("Content-Type", ""),
                "body": response.content.decode("utf-8")}

    return handle


if __name__ == "__main__":
    run_cases(
        handler,
        VERTO_PEER_XML_CURL_CREDENTIALS="freeswitch:s3cret",
        VERTO_PEER_DOMAIN="pbx.example.org",
        VERTO_PEER_DIRECTORY_LOOKUP="xml_curl_view.lookup",
        ALLOWED_HOSTS=["testserver"],
    )
