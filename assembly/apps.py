from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    verbose_name = _("Assembly")

    def ready(self):
        from allauth.account.models import EmailAddress
        from allauth.account.signals import password_reset
        from celery.signals import worker_init
        from django.contrib.admin.models import LogEntry
        from django.db.backends.signals import connection_created

        from . import (
            active_language,
            blocktranslate,
            cache,
            csrf_tokens,
            escaping,
            extends,
            facilitators,
            merging,
            page_cache,
            personal_data,
            read_only,
            search,
            settings_log,
            signed_in,
            translate,
            url_reversing,
        )
        from .models import (
            Delivery,
            DigestItem,
            FacilitatorInvitation,
            MergeLog,
            NotificationPreferences,
            SettingChange,
            SetupLink,
            Subscriber,
            User,
        )
        from .notifications import digest, subscriptions, topics
        from .page_cache import recovery
        from .people import (
            deliveries_data,
            email_addresses,
            mark_email_verified,
            merge_email_addresses,
            merges_data,
            profile_data,
            roles,
        )

        # The person's row itself: exported here, deleted last by personal_data.delete_person.
        # Their sessions hold no foreign key: the one in use is ended at deletion, any other
        # (another device) no longer finds its person and so is signed out at its next request.
        personal_data.register("profile", profile_data)
        # Exported; deleted with the account (on_delete CASCADE).
        personal_data.register("email_addresses", email_addresses, covers=[EmailAddress])
        personal_data.register(
            "roles", roles, covers=[User.groups.through, User.user_permissions.through]
        )
        # Exported; deleted with the account (on_delete CASCADE).
        personal_data.register("deliveries", deliveries_data, covers=[Delivery])
        # Exported; the log of a merge stays, without its people (SET_NULL).
        personal_data.register("merges", merges_data, covers=[MergeLog])

        # How each of these follows a merge into another person (assembly.merging): the kept
        # person's row wins where both hold one that must stay unique.
        merging.register_merge(EmailAddress, "user", move=merge_email_addresses)
        merging.register_merge(User.groups.through, "user", unique_with=["group"])
        merging.register_merge(User.user_permissions.through, "user", unique_with=["permission"])
        merging.register_merge(Delivery, "person", unique_with=["topic", "kind"])
        merging.register_merge(MergeLog, "by")
        merging.register_merge(MergeLog, "kept")
        merging.register_merge(LogEntry, "user")
        personal_data.register(
            "notification_preferences", topics.export, covers=[NotificationPreferences]
        )
        personal_data.register("subscriptions", subscriptions.export, covers=[Subscriber])
        personal_data.register("digest_items", digest.export, covers=[DigestItem])
        # A merge: the kept person's preferences stay (one-to-one); their subscriptions and
        # digest items gather, one item per event.
        merging.register_merge(NotificationPreferences, "person")
        merging.register_merge(Subscriber, "person")
        merging.register_merge(DigestItem, "person", unique_with=["kind", "group_key", "url"])

        # Moving in (issue 22): the settings log keeps what each administrator changed, without
        # them once their account is gone (SET_NULL); invitations to a deleted person's addresses
        # go with the account; the set-up link keeps who used it (SET_NULL).
        personal_data.register(
            "settings_changes", settings_log.changes_by, covers=[SettingChange, SetupLink]
        )
        personal_data.register(
            "facilitator_invitations",
            facilitators.invitations_of,
            covers=[FacilitatorInvitation],
            before_delete=facilitators.forget_invitations_to,
        )
        merging.register_merge(SettingChange, "changed_by")
        merging.register_merge(FacilitatorInvitation, "invited_by")
        merging.register_merge(FacilitatorInvitation, "accepted_by")
        merging.register_merge(SetupLink, "used_by")

        # Exported; the batches stay, without who imported or undid them (SET_NULL).
        from .imports.engine import batches_of
        from .imports.models import ImportBatch

        personal_data.register("imports", batches_of, covers=[ImportBatch])

        # The mailing list importer; the do-not-mail list holds addresses, not people: a person
        # whose address is on it sees so in their export, and the entry outlives their account
        # (it is what keeps them from being written to again).
        from . import imports
        from .notifications import mailing_list

        imports.register(mailing_list.SubscribersImporter())
        personal_data.register("do_not_mail", mailing_list.export_entry)
        merging.register_merge(ImportBatch, "created_by")
        merging.register_merge(ImportBatch, "undone_by")

        # The SQLite fallback of search folds accents in SQL (assembly/search.py).
        connection_created.connect(
            search.register_fold_function, dispatch_uid="assembly-search-fold", weak=False
        )

        # PostgreSQL dates read by psycopg's C parser, as Django would read them (in UTC).
        from . import timestamps

        connection_created.connect(
            timestamps.install, dispatch_uid="assembly-timestamps-in-c", weak=False
        )

        # A row's model instance is made without Model.__init__'s work per field where that work
        # would only store the values (assembly/model_rows.py).
        from . import model_rows

        model_rows.install()

        # Every write to a table a page shows replaces the cached pages' content version.
        connection_created.connect(
            page_cache.install, dispatch_uid="assembly-page-cache-watch", weak=False
        )

        # Each {% blocktranslate %} node builds its message once, not at every render.
        blocktranslate.install()
        # And each process keeps the URLs it reversed (assembly/url_reversing.py).
        url_reversing.install()
        # And reads the signed-in person with a query prepared once (assembly/signed_in.py).
        signed_in.install()
        # And masks each page's CSRF token in a few calls, as Django does (assembly/csrf_tokens.py).
        csrf_tokens.install()
        # And `{% extends %}` finds the layout's blocks once (assembly/extends.py).
        extends.install()
        # And each `{% translate "literal" %}` keeps its text per language (assembly/translate.py).
        translate.install()
        # And escapes each value without looking for a lazy one in a generator (assembly/escaping.py).
        escaping.install()
        # And reads the active language without asgiref's lock (assembly/active_language.py).
        active_language.install()

        # The shared cache answers again after failing: the content version moves on and this
        # worker forgets what it keeps, since a write may have gone unseen meanwhile.
        cache.recovered.connect(
            recovery.forget_after_outage, dispatch_uid="assembly-page-cache-recovery", weak=False
        )

        # Claiming an account at the door is a password reset sent to that address: it proves it.
        password_reset.connect(
            lambda sender, request, user, **kwargs: mark_email_verified(user),
            dispatch_uid="assembly-claim-verifies-email",
            weak=False,
        )

        # A read-only season: a task left in the queue from before cannot write either.
        worker_init.connect(read_only.guard_worker, dispatch_uid="assembly-read-only", weak=False)
