"""The channel page's config block: what the client needs to log in and join its channel."""
from .directory import directory_domain, valid_id


def verto_login(client_id):
    """The login as the client sends it, unchanged: id@domain. mod_verto splits it at "@",
    so it logs in with or without force-register-domain; a bare id only works with it."""
    if not valid_id(client_id):
        raise ValueError("invalid client id")
    return "%s@%s" % (client_id, directory_domain())


def channel_verto_url(channel_id, base="/verto"):
    """The page's vertoUrl: base (the nginx location, a path or a wss:// URL) with the channel id as
    its last path segment, e.g. /verto/<channel id>. nginx hashes on that segment, so every client of
    a channel reaches the same FreeSWITCH node (deploy/nginx/verto-peer-upstream.conf); mod_verto
    takes the upgrade on any path."""
    channel_id = str(channel_id)
    if not valid_id(channel_id):
        raise ValueError("invalid channel id")
    if "?" in base or "#" in base:
        raise ValueError("verto_url must be a path or URL without query or fragment: the channel id is appended")
    return "%s/%s" % (base.rstrip("/"), channel_id)


def page_config(client_id, password, channel_id, verto_url="/verto", ice_servers=(), index_url="/",
                ice_transport_policy=None):
    """The dict for {{ config|json_script:"channel-config" }} (verto_peer/channel_body.html).
    client_id and password are the credentials issued for this page load, channel_id the one
    channel in that user's jsonrpc-allowed-event-channels; verto_url is the nginx location, to
    which the channel id is appended (channel_verto_url).
    ice_servers: e.g. STUN plus verto_peer.turn.turn_ice_servers(client_id);
    ice_transport_policy: None (the browser's "all") or "relay" (TURN only)."""
    channel_id = str(channel_id)
    if not valid_id(channel_id):
        raise ValueError("invalid channel id")
    if ice_transport_policy not in (None, "all", "relay"):
        raise ValueError("ice_transport_policy must be None, \"all\" or \"relay\"")
    config = {
        "vertoUrl": channel_verto_url(channel_id, verto_url),
        "channelId": channel_id,
        "login": verto_login(str(client_id)),
        "password": password,
        "iceServers": list(ice_servers),
    }
    if ice_transport_policy is not None:
        config["iceTransportPolicy"] = ice_transport_policy
    config["indexUrl"] = index_url
    return config
