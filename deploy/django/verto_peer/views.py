"""The mod_xml_curl directory handler: FreeSWITCH asks for a user at every verto login, and the
chat relay asks (user_data) for the channels of sender and target of every peer message.

Settings:
  VERTO_PEER_XML_CURL_CREDENTIALS  "user:password", as gateway-credentials in xml_curl.conf.xml;
                                   unset means every request is refused (fail closed)
  VERTO_PEER_DOMAIN                the directory domain (force-register-domain in verto.conf.xml);
                                   users of any other domain are not found
  VERTO_PEER_DIRECTORY_LOOKUP      dotted path of lookup(user_id, domain) returning
                                   {"password": str, "channels": [channel id, ...]} or None;
                                   called only for VERTO_PEER_DOMAIN
  VERTO_PEER_DIRECTORY_CACHE_MS    how long each node keeps a user it was given (the cacheable
                                   attribute); default 60000, 0 for no cache
"""
import base64
import binascii
import hmac

from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .directory import directory_cache_ms, directory_domain, directory_xml


def _authorized(request):
    expected = getattr(settings, "VERTO_PEER_XML_CURL_CREDENTIALS", "")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not expected or not header.startswith("Basic "):
        return False
    try:
        given = base64.b64decode(header[len("Basic "):], validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, expected.encode("utf-8"))


def _users(post):
    """The one user asked for, whatever the request's action (jsonrpc-authenticate from
    mod_verto, or the relay's user_data): FreeSWITCH merges the answer the same way."""
    user_id, domain = post.get("user", ""), post.get("domain", "")
    if post.get("section") != "directory" or not user_id or domain != directory_domain():
        return domain, []
    found = import_string(settings.VERTO_PEER_DIRECTORY_LOOKUP)(user_id, domain)
    if not found:
        return domain, []
    return domain, [{"id": user_id, "password": found["password"], "channels": list(found["channels"])}]


@csrf_exempt
@require_POST
def xml_curl_directory(request):
    if not _authorized(request):
        response = HttpResponse("authorization required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Basic realm="freeswitch"'
        return response
    domain, users = _users(request.POST)
    try:
        body = directory_xml(domain, users, directory_cache_ms() if users else 0)
    except ValueError:
        # ids FreeSWITCH could not use anyway (separators, spaces): the user does not exist
        body = directory_xml("invalid", [])
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
