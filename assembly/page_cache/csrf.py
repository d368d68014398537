"""The CSRF token in kept pages and parts: a placeholder while they render, each visitor's own
token at every use, and only where the templates put it.

The placeholder is a secret of the deployment (derived from SECRET_KEY), so nobody can write it on
purpose; and it is replaced only in the two places the templates put the token — the hidden input
that `{% csrf_token %}` writes and the layout's hx-headers attribute (templates/base.html) — so
that text someone wrote never receives a token, even if it held the placeholder.
"""

import functools

from django.conf import settings
from django.utils.crypto import salted_hmac


def placeholder() -> str:
    """Letters and digits only, so that no escaping changes it."""
    return _placeholder_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _placeholder_for(secret_key: str) -> str:
    digest = salted_hmac("assembly.page_cache.placeholder", "csrf-token", secret=secret_key)
    return "csrf" + digest.hexdigest()[:40]


def _token_places(mark: str) -> tuple[str, ...]:
    # Exactly what {% csrf_token %} writes, and the layout's hx-headers attribute (base.html).
    return (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{mark}">',
        f"""hx-headers='{{"X-CSRFToken": "{mark}"}}'""",
    )


def holds_placeholder(content: str | bytes) -> bool:
    mark = placeholder()
    return (mark.encode() if isinstance(content, bytes) else mark) in content


def insert_token(content, token: str):
    """`content` (str or bytes) with `token` where the templates put the placeholder, and nowhere
    else: text that a person wrote keeps whatever they wrote, the placeholder included."""
    is_bytes = isinstance(content, bytes)
    for empty, filled in zip(_token_places(placeholder()), _token_places(str(token)), strict=True):
        if is_bytes:
            content = content.replace(empty.encode(), filled.encode())
        else:
            content = content.replace(empty, filled)
    return content


def csrf_placeholder(request):
    """Context processor: in a page being kept, {% csrf_token %} writes the placeholder."""
    if getattr(request, "page_cache_candidate", False):
        return {"csrf_token": placeholder()}
    return {}
