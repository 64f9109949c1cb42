from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from carenet.ops import views as ops_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("account/", include("carenet.accounts.urls")),
    path("audit/", include("carenet.audit.urls")),
    path("api/", include("carenet.api.urls")),
    path("platform-admin/", admin.site.urls),
    path("", include("carenet.core.urls")),
]
handler404 = "carenet.core.api_errors.page_not_found"  # JSON under /api/, the HTML page elsewhere
handler500 = "carenet.core.api_errors.server_error"
# Each app's URLs are mounted by its own entry in CARENET_URLS (settings), so apps never edit this file.
# Staff pages use a fixed prefix ("cases/", "plans/" …); public pages start with the municipality's slug
# ("<slug:municipality_slug>/services/") and are tried last.
for prefix, module in settings.CARENET_URLS:
    urlpatterns.append(path(prefix, include(module)))
