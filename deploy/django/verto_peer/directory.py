"""FreeSWITCH directory documents for verto-peer clients (mod_xml_curl replies or static files)."""
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

# The JSON-RPC methods a verto-peer page calls, and so the only ones its directory user may
# call (mod_verto always allows login on top): verto.subscribe and verto.broadcast carry
# presence in the channel, verto.info carries peer messages, verto.ping is the keepalive.
# Everything else is refused, above all verto.invite, which would place a call into the
# dialplan.
ALLOWED_METHODS = ("verto.subscribe", "verto.broadcast", "verto.info", "verto.ping")
# The dialplan context of deploy/freeswitch/dialplan/verto-peer.xml, which rejects every call.
# Set on each user (user_context), because a user's own variable wins over its domain's.
CALL_CONTEXT = "verto-peer"

# How long a FreeSWITCH node keeps a user it looked up before asking again (the <user cacheable>
# attribute, in ms: switch_xml_locate_user_merged in FreeSWITCH's src/switch_xml.c). The login and
# the relay's two user_data lookups per peer message share that entry, so a call setup costs
# Django no request; a revoked page keeps working on a node for at most this long (deploy/README.md,
# "The directory cache").
DEFAULT_CACHE_MS = 60000

# The same rule the chat relay applies: no separators, quotes or spaces.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# XML 1.0 cannot carry these even escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def valid_id(value):
    """A user id, domain or channel id FreeSWITCH and the relay can use."""
    return isinstance(value, str) and _ID.match(value) is not None


def directory_domain():
    """Setting VERTO_PEER_DOMAIN: the directory domain of every verto-peer user, the same as
    force-register-domain in verto.conf.xml. Required: without it nobody can log in."""
    domain = getattr(settings, "VERTO_PEER_DOMAIN", "")
    if not valid_id(domain):
        raise ImproperlyConfigured("VERTO_PEER_DOMAIN must be the verto directory domain "
                                   "(force-register-domain in verto.conf.xml)")
    return domain


def directory_cache_ms():
    """Setting VERTO_PEER_DIRECTORY_CACHE_MS: the users' cacheable lifetime in ms (default
    DEFAULT_CACHE_MS); 0 writes no attribute, so every lookup reaches Django."""
    value = getattr(settings, "VERTO_PEER_DIRECTORY_CACHE_MS", DEFAULT_CACHE_MS)
    # Never anything but digits: FreeSWITCH caches any other value until it restarts.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImproperlyConfigured("VERTO_PEER_DIRECTORY_CACHE_MS must be a whole number of "
                                   "milliseconds (0: no cache)")
    return value


def directory_xml(domain, users, cache_ms=0):
    """users: iterable of dicts {"id", "password", "channels": [channel id, ...]}. An empty
    list gives FreeSWITCH's "not found" result, which makes the login fail cleanly. cache_ms > 0
    marks each user cacheable for that many ms."""
    users = list(users)
    if not valid_id(domain):
        raise ValueError("invalid domain")
    if isinstance(cache_ms, bool) or not isinstance(cache_ms, int) or cache_ms < 0:
        raise ValueError("invalid cache lifetime")
    for user in users:
        if not valid_id(user["id"]) or not all(valid_id(c) for c in user["channels"]):
            raise ValueError("invalid user or channel id")
        if not user["password"] or _CONTROL.search(user["password"]):
            raise ValueError("invalid password")
    return render_to_string("verto_peer/directory.xml", {
        "domain": domain,
        "users": users,
        "methods": ",".join(ALLOWED_METHODS),
        "context": CALL_CONTEXT,
        "cache_ms": cache_ms,
    })
