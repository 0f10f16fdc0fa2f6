#!/usr/bin/python3
"""Render a FreeSWITCH directory document (as the mod_xml_curl handler answers it) with real Django.

usage: render_directory.py USERS
  USERS  a JSON file, or "-" for stdin: {"domain": "pbx.example.org",
         "users": [{"id": "<uuid>", "password": "...", "channels": ["<channel uuid>"]}, ...]}

The output is a <document type="freeswitch/xml"> with <section name="directory">, the shape
FreeSWITCH and the development server's directory option read. Run it with /usr/bin/python3.
"""
import sys

sys.dont_write_bytecode = True  # keep the checkout clean of __pycache__

import standalone  # noqa: E402


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    standalone.setup()
    from verto_peer.directory import directory_xml

    data = standalone.read_json(argv[0])
    sys.stdout.write(directory_xml(data["domain"], data["users"]))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (ValueError, KeyError, TypeError, OSError) as e:
        sys.exit("render_directory.py: %s" % e)
