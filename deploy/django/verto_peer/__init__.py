"""verto-peer's Django side: the channel page templates, the CSP it needs, and the FreeSWITCH
directory document for mod_xml_curl. See deploy/README.md."""
