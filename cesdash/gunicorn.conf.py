"""gunicorn settings; `make run` starts `gunicorn -c cesdash/gunicorn.conf.py cesdash.wsgi`."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
accesslog = "-"
errorlog = "-"
