"""The channel page's config block: what the client needs to log in and join its channel."""
from .directory import directory_domain, valid_id


def verto_login(client_id):
    """The login as the client sends it, unchanged: id@domain. mod_verto splits it at "@",
    so it logs in with or without force-register-domain; a bare id only works with it."""
    if not valid_id(client_id):
        raise ValueError("invalid client id")
    return "%s@%s" % (client_id, directory_domain())


def page_config(client_id, password, channel_id, verto_url="/verto", ice_servers=(), index_url="/",
                ice_transport_policy=None):
    """The dict for {{ config|json_script:"channel-config" }} (verto_peer/channel_body.html).
    client_id and password are the credentials issued for this page load, channel_id the one
    channel in that user's jsonrpc-allowed-event-channels; verto_url is the nginx location.
    ice_servers: e.g. STUN plus verto_peer.turn.turn_ice_servers(client_id);
    ice_transport_policy: None (the browser's "all") or "relay" (TURN only)."""
    channel_id = str(channel_id)
    if not valid_id(channel_id):
        raise ValueError("invalid channel id")
    if ice_transport_policy not in (None, "all", "relay"):
        raise ValueError("ice_transport_policy must be None, \"all\" or \"relay\"")
    config = {
        "vertoUrl": verto_url,
        "channelId": channel_id,
        "login": verto_login(str(client_id)),
        "password": password,
        "iceServers": list(ice_servers),
    }
    if ice_transport_policy is not None:
        config["iceTransportPolicy"] = ice_transport_policy
    config["indexUrl"] = index_url
    return config
