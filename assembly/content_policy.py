"""The Content-Security-Policy header, built once per process for the responses that keep the
settings' policy (issue 24).

django-csp builds the header from the settings at every response (dataclasses copied, every
directive joined): some three hundred function calls a page, for the same text. A response whose
view changed nothing (no `@csp_update`, `@csp_replace`, `@csp` or `@csp_exempt`) and whose page
used no nonce gets the text built the first time, here; any other goes through django-csp as
before. The text is built again after a setting changes (tests).
"""

from dataclasses import asdict
from itertools import repeat

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What a view's decorators leave on its response: the policy is then the response's own.
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_DEBUG_STATUSES = (500, 404)

# (header, text, the response attribute exempting it, URL prefixes excluded), for each header.
_built: list[tuple[str, str, str, tuple[str, ...]]] | None = None


def _build():
    global _built
    if _built is None:
        built = []
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            text = build_policy(**asdict(PolicyParts()), report_only=report_only)
            if text:
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
                built.append((header, text, exempt, tuple(prefixes or ())))
        _built = built
    return _built


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        # map(): hasattr() on each name without a generator's call per name.
        if getattr(request, "_csp_nonce", None) is not None or any(
            map(hasattr, repeat(response), _OWN_POLICY)
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_STATUSES and settings.DEBUG:
            return response
        # As django-csp: unless set already, exempted or excluded.
        for header, text, exempt, prefixes in _build():
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = text
        # As django-csp: a nonce asked for after the header was written raises.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _forget(**kwargs):
    global _built
    _built = None


setting_changed.connect(_forget, dispatch_uid="assembly-content-policy")
