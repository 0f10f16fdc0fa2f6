"""TURN credentials for a page load, in the TURN REST API scheme coturn checks with
use-auth-secret (deploy/coturn/turnserver.conf): username "<expiry unix seconds>:<client id>",
credential base64(HMAC-SHA1(secret, username)). coturn refuses them after the expiry.

Settings:
  VERTO_PEER_TURN_SECRET  coturn's static-auth-secret; unset or empty: pages get no TURN server
  VERTO_PEER_TURN_URLS    the turn: / turns: URLs of that server, e.g.
                          ["turn:turn.example.org:3478", "turns:turn.example.org:5349?transport=tcp"]
  VERTO_PEER_TURN_TTL     seconds the credentials are accepted; default 12 hours, as long as the
                          page's login credentials (deploy/README.md, "Credentials per page load")
"""
import base64
import hashlib
import hmac
import re
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .directory import valid_id

DEFAULT_TTL = 12 * 60 * 60
_TURN_URL = re.compile(r"turns?:\S+\Z")


def turn_credential(secret, client_id, expires_at):
    """(username, credential) for one client until expires_at (unix seconds)."""
    username = "%d:%s" % (expires_at, client_id)
    digest = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def turn_ice_servers(client_id, now=None):
    """The iceServers entries for the page load of client_id: [] without VERTO_PEER_TURN_SECRET,
    else one TURN server with credentials valid VERTO_PEER_TURN_TTL seconds from now. Add them
    to page_config's ice_servers."""
    secret = getattr(settings, "VERTO_PEER_TURN_SECRET", "")
    if not secret:
        return []
    urls = list(getattr(settings, "VERTO_PEER_TURN_URLS", []))
    if not urls or not all(isinstance(u, str) and _TURN_URL.match(u) for u in urls):
        raise ImproperlyConfigured("VERTO_PEER_TURN_URLS must list the turn: or turns: URLs of "
                                   "the server that has VERTO_PEER_TURN_SECRET")
    ttl = getattr(settings, "VERTO_PEER_TURN_TTL", DEFAULT_TTL)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 1:
        raise ImproperlyConfigured("VERTO_PEER_TURN_TTL must be a whole number of seconds")
    client_id = str(client_id)
    # The client id is the part after the separator coturn splits at (":"): no separators in it.
    if not valid_id(client_id):
        raise ValueError("invalid client id")
    expires_at = int(time.time() if now is None else now) + ttl
    username, credential = turn_credential(secret, client_id, expires_at)
    return [{"urls": urls, "username": username, "credential": credential}]
