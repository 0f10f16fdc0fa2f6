#!/usr/bin/python3
"""Render verto-peer's channel page with real Django, for tests and the end-to-end suite.

usage: render_page.py [--static-url URL] [--csp] [--page-url URL] CONFIG
  CONFIG        a JSON file holding the page's config object (vertoUrl, channelId, login,
                password, iceServers, indexUrl), or "-" for stdin; a site builds it with
                verto_peer.page.page_config (login = id@domain)
  --static-url  Django's STATIC_URL (default /static/); the bundle is then at
                <static-url>verto_peer/verto-peer.js and .css, images at verto_peer/*.svg
  --csp         print the Content-Security-Policy header value for the page instead of the HTML
  --page-url    the page's own URL, against which a relative vertoUrl resolves (for --csp;
                default http://localhost/)

Needs Django (Debian: apt-get install python3-django); run it with /usr/bin/python3.
"""
import argparse
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import standalone  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--static-url", default="/static/")
    parser.add_argument("--csp", action="store_true")
    parser.add_argument("--page-url", default="http://localhost/")
    args = parser.parse_args(argv)

    standalone.setup(static_url=args.static_url)
    from django.template.loader import render_to_string
    from verto_peer.csp import channel_csp

    config = standalone.read_json(args.config)
    if not isinstance(config, dict):
        parser.error("the config must be a JSON object")
    if args.csp:
        sys.stdout.write(channel_csp(config.get("vertoUrl", ""), args.page_url) + "\n")
    else:
        sys.stdout.write(render_to_string("verto_peer/channel_detail.html", {"config": config}))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (ValueError, OSError) as e:
        sys.exit("render_page.py: %s" % e)
