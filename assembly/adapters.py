"""django-allauth adapter: our e-mail subjects and the person's language."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # E-mail is the login; there is no username to fill.
        return None
