import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
from carenet.accounts.models import User
c = Client()
for url in ["/bench-city/services/?q=cantina", "/api/hsds/bench-city/services?search=cantina"]:
    with CaptureQueriesContext(connection) as ctx:
        t=time.perf_counter(); r = c.get(url); dt=time.perf_counter()-t
    print(url, r.status_code, f"{dt*1000:.0f} ms", len(ctx.captured_queries), "queries")
    if r.status_code != 200: print(r.content[:500])
c.force_login(User.objects.get(username="bench-city.coordinator"))
for url in ["/api/v1/deliveries/", "/api/v1/persons/"]:
    with CaptureQueriesContext(connection) as ctx:
        t=time.perf_counter(); r = c.get(url); dt=time.perf_counter()-t
    print(url, r.status_code, f"{dt*1000:.0f} ms", len(ctx.captured_queries), "queries")
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:2]: print("  ", q["time"], q["sql"][:600])
