"""The foot of the app chain: people, permissions, merging, personal data, the notification layer,
Markdown, the HTTP layer (page cache, kept parts, rate limits) and the registries every app fills."""
