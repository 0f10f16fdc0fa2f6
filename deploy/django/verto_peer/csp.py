"""The Content-Security-Policy a verto-peer channel page should be sent with."""
from urllib.parse import urljoin, urlsplit

_WS_SCHEME = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


def verto_origin(verto_url, page_url):
    """The ws(s) origin the client connects to: the page's config vertoUrl resolved as the
    client resolves it (relative to the page, http -> ws, https -> wss)."""
    url = urlsplit(urljoin(page_url, verto_url))
    scheme = _WS_SCHEME.get(url.scheme)
    if scheme is None or not url.hostname:
        raise ValueError("vertoUrl must resolve to a ws:// or wss:// URL")
    return "%s://%s" % (scheme, url.netloc.rpartition("@")[2])


def channel_csp(verto_url, page_url, static_origin="'self'"):
    """Header value: the bundle, its CSS and images from static_origin (e.g. a CDN origin when
    STATIC_URL is absolute); no inline script or eval; the socket only to the verto endpoint;
    video from local media streams. The JSON config block is data, not script, so CSP
    does not apply to it."""
    return "; ".join([
        "default-src 'none'",
        "script-src %s" % static_origin,
        "style-src %s" % static_origin,
        # Picnic's stylesheet draws a few controls with data: SVGs.
        "img-src %s data:" % static_origin,
        "media-src blob: mediastream:",
        "connect-src %s" % verto_origin(verto_url, page_url),
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])
