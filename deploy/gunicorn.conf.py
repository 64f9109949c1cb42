"""gunicorn's settings for CareNet, read by the web service (systemd/carenet-web.service) and by
scripts/deploy_check.sh in CI: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`. A `-b` on the command line
(or GUNICORN_CMD_ARGS) overrides the address below."""

import os

bind = os.environ.get("CARENET_BIND", "127.0.0.1:8000")  # nginx proxies here (deploy/nginx/carenet.conf)
workers = int(os.environ.get("CARENET_WEB_WORKERS", "4"))  # rule of thumb: 2 × cores
timeout = 60  # the slowest pages (PDF reports) finish well within this; longer work goes to the worker
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then: memory stays flat
max_requests_jitter = 200
# CareNet reads the client's address from X-Real-IP, trusted only from CARENET_TRUSTED_PROXIES (core.middleware);
# gunicorn itself need not trust the forwarded headers beyond the local proxy.
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = "-"  # to the journal; each line carries the request id nginx sends as X-Request-ID
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}i)s'
errorlog = "-"
