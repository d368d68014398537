"""The CSRF token each page carries, masked as Django masks it, in a handful of calls (issue 24).

Every signed-in page holds the person's CSRF token (the layout's htmx header, its forms), and
Django masks the secret anew for each page (BREACH): `get_random_string(32)` draws the mask one
character at a time through `secrets.choice`, then each character is added to the secret's by
`str.index`: some 490 function calls a page, for 64 characters. `mask_cipher_secret` gives the
same token (Django's `_unmask_cipher_token` reads it back): a mask of 32 characters each drawn
uniformly from the 62 allowed, from the system's random bytes as `secrets` does (a byte below
248, 4 × 62, taken modulo 62; others dropped), and each character of the cipher looked up in a
table of the 62 × 62 sums. It replaces Django's private `_mask_cipher_secret` (the function
`get_token` calls), in AppConfig.ready; tests/assembly/test_csrf_tokens.py checks both agree.
"""

import secrets

from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
_LENGTH = csrf.CSRF_SECRET_LENGTH
# Bytes 0-247 give each character four times, 248-255 are dropped: a uniform draw.
_UNIFORM_BELOW = 256 - 256 % len(_CHARS)
_TO_CHAR = bytes(ord(_CHARS[byte % len(_CHARS)]) for byte in range(256))
_DROPPED = bytes(range(_UNIFORM_BELOW, 256))
# (secret's character, mask's character) -> the cipher's: (x + y) mod 62, as Django adds them.
_SUMS = {
    (secret, mask): _CHARS[(i + j) % len(_CHARS)]
    for i, secret in enumerate(_CHARS)
    for j, mask in enumerate(_CHARS)
}


def _new_mask() -> str:
    mask = b""
    while len(mask) < _LENGTH:
        # 40 bytes hold 32 usable ones but for one draw in a few hundred thousand.
        mask += secrets.token_bytes(_LENGTH + 8).translate(_TO_CHAR, _DROPPED)
    return mask[:_LENGTH].decode("ascii")


def mask_cipher_secret(secret: str) -> str:
    """Django's `_mask_cipher_secret`: a new mask, then the secret added to it."""
    mask = _new_mask()
    return mask + "".join(map(_SUMS.__getitem__, zip(secret, mask, strict=False)))


def install() -> None:
    csrf._mask_cipher_secret = mask_cipher_secret
