"""FreeSWITCH directory documents for verto-peer clients (mod_xml_curl replies or static files)."""
import re

from django.template.loader import render_to_string

# The same rule the chat relay applies: no separators, quotes or spaces.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# XML 1.0 cannot carry these even escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def directory_xml(domain, users):
    """users: iterable of dicts {"id", "password", "channels": [channel id, ...]}. An empty
    list gives FreeSWITCH's "not found" result, which makes the login fail cleanly."""
    users = list(users)
    if not _ID.match(domain):
        raise ValueError("invalid domain")
    for user in users:
        if not _ID.match(user["id"]) or not all(_ID.match(c) for c in user["channels"]):
            raise ValueError("invalid user or channel id")
        if not user["password"] or _CONTROL.search(user["password"]):
            raise ValueError("invalid password")
    return render_to_string("verto_peer/directory.xml", {"domain": domain, "users": users})
