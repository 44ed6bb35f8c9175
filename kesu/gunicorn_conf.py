"""gunicorn's configuration for Kesu's production mode with several web processes (Linux).

    gunicorn -c python:kesu.gunicorn_conf kesu.wsgi

README "Production (several processes)" and deploy/ show it beside `kesu worker`. `kesu serve`
(waitress) stays the embedded default and the server on Windows. Read from the environment and,
like kesu.settings, loud about a malformed value; it does not import Django's settings, so that
the master process holds no database connection to hand down to its workers.
"""

import os
from pathlib import Path


def _int(name: str, default: int, *, low: int, high: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _cores() -> int:
    # The cores this process may run on (a container's or a systemd CPUAffinity= limit), not
    # every core of the machine.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# One sync worker per core, not 2×cores+1: that rule is for apps that mostly wait on I/O, while
# a Kesu request spends its time in Python (the issue 12 profiles: SQL is a few ms of 100+ ms),
# so more processes than cores only queue on the CPU and cost ~70 MB each. Raise it when the
# database is remote and slow.
workers = _int("WEB_CONCURRENCY", _cores(), low=1, high=64)
worker_class = "sync"
# Loopback by default, like `kesu serve`: a reverse proxy in front ends TLS and buffers slow
# clients (a sync worker is busy for as long as its client is). KESU_HOST=0.0.0.0 in a container.
bind = f"{os.environ.get('KESU_HOST', '127.0.0.1')}:{_int('PORT', 8000, low=1, high=65535)}"

# A request still running after this long has its worker killed and restarted: no page or API
# call is meant to take more than a second or two; 8D exports and imports run in the worker.
timeout = _int("WEB_TIMEOUT", 60, low=5, high=3600)
# On SIGTERM (systemd stop, `docker compose down`) the requests in hand get this long to finish.
graceful_timeout = 30
# Behind a proxy that keeps connections to us open; short, since each one holds a sync worker.
keepalive = 5
# Recycle a worker now and then, so that slow growth of a process's memory cannot add up;
# jittered so that the workers do not all restart at the same moment.
max_requests = 2000
max_requests_jitter = 200

# No preloading: each worker imports Django itself. CPython's reference counts unshare most
# copy-on-write pages anyway, so preloading saves little memory, while without it `kill -HUP`
# (systemctl reload) starts workers on the newly deployed code one by one without dropping a
# request, and no database connection or thread made at import can be shared across a fork.
preload_app = False

# Access and error logs to stdout/stderr: the journal or the container runtime keeps them.
accesslog = "-"
# gunicorn's usual line plus the worker's pid and the time taken (ms): which process answered,
# and how long, without a profiler.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" pid=%(p)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Workers prove they are alive by touching a file; on tmpfs that never stalls on a busy disk
# (containers often have a disk-backed /tmp).
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
# gunicorn's control socket (new in 23.x/27) would sit in $HOME, which a service user often lacks
# or may not write; stop, reload and scaling go through signals and systemd/compose instead.
control_socket_disable = True
