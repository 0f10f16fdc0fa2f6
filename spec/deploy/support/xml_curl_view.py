"""Drives verto_peer.views.xml_curl_directory with Django's RequestFactory (no server, no project).
stdin: JSON list of {"post": {...}, "auth": "user:password" or null, "method": "POST"|"GET"}
stdout: JSON list of {"status", "contentType", "body"}"""
import base64
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../deploy/django"))

# The directory the lookup answers from: u1 in channel c1; u2's site data is unusable (a comma).
# The site would also answer u1 in another domain: the view must not ask it (VERTO_PEER_DOMAIN).
USERS = {
    ("u1", "pbx.example.org"): {"password": "p<&>'\"", "channels": ["c1"]},
    ("u2", "pbx.example.org"): {"password": "p", "channels": ["c1,c2"]},
    ("u1", "other.example.org"): {"password": "p", "channels": ["c1"]},
}


def lookup(user_id, domain):
    return USERS.get((user_id, domain))


def main():
    import standalone

    standalone.setup(
        VERTO_PEER_XML_CURL_CREDENTIALS="freeswitch:s3cret",
        VERTO_PEER_DOMAIN="pbx.example.org",
        VERTO_PEER_DIRECTORY_LOOKUP="xml_curl_view.lookup",
        ALLOWED_HOSTS=["testserver"],
    )
    from django.test import RequestFactory
    from verto_peer.views import xml_curl_directory

    factory = RequestFactory()
    out = []
    for case in json.load(sys.stdin):
        extra = {}
        if case.get("auth") is not None:
            extra["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(case["auth"].encode()).decode()
        make = factory.get if case.get("method") == "GET" else factory.post
        response = xml_curl_directory(make("/freeswitch/directory/", case.get("post", {}), **extra))
        out.append({"status": response.status_code, "contentType": response.get("Content-Type", ""),
                    "body": response.content.decode("utf-8")})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
