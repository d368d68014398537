"""The one-click unsubscribe of an e-mail (RFC 8058), posted as a mail client would."""

from django.conf import settings


def one_click(client, message):
    """Post the message's List-Unsubscribe address; (the response, the address)."""
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(
        url.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    return response, url
