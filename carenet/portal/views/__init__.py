"""The portal's pages, one module per feature (docs/architecture.md §2).

Public pages (under ``<municipality_slug>/``): ``home``, ``news``, ``help_requests``, ``feedback``, ``surveys``,
``consultations``, ``finder``, ``transparency``, ``dashboard``. The staff pages of a feature (under
``portal/``) sit in the same module, below its public pages; ``participation`` is the staff landing page
of surveys and consultations. Every staff action has its own URL and view (POST only), calling one
service. ``portal/urls.py`` mounts them all.
"""
