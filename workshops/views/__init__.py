"""Pages of meetings and workshops, one module per family: parse the request, check permission,
call a service, answer. Sign-ups and the attendance sheet are enhanced with htmx and work as plain
forms too."""
