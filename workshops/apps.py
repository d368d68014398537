from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Meetings and workshops")

    def ready(self):
        from assembly import personal_data

        from . import personal_data as sections
        from .models import Attendance, Workshop, WorkshopSignup

        personal_data.register(
            "attendance",
            sections.attendance,
            covers=[Attendance],
            before_delete=sections.keep_attendance_anonymously,
        )
        personal_data.register(
            "workshop_signups", sections.workshop_signups, covers=[WorkshopSignup]
        )
        personal_data.register("proposed_workshops", sections.proposed_workshops, covers=[Workshop])
