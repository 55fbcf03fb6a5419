#!/usr/bin/env bash
# Makes a Docker engine available to the build, without any image registry:
#  - installs Debian's docker.io when no engine is installed (as root; otherwise fails with the
#    command to run), because CI machines start without one and /usr/local/bin/docker may be a
#    client only;
#  - starts dockerd by hand (there is no systemd) with host networking only: no bridge, no
#    iptables, so containers run with --network host and listen on 127.0.0.1;
#  - reuses a daemon that already answers, so repeated builds and parallel worktrees share one.
# Prints nothing on success except progress; exits non-zero with the reason when Docker cannot
# start (README: nothing is skipped).
set -euo pipefail

DOCKER=/usr/bin/docker            # Debian's client, same API version as its daemon (1.41)
DOCKERD=/usr/sbin/dockerd
STATE=/var/lib/intent-stream-ci   # this script's dockerd log and pid file
SOCK=/var/run/docker.sock

die() { echo "docker-daemon.sh: $*" >&2; exit 1; }

answers() { timeout 10 "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [ ! -x "$DOCKERD" ] || [ ! -x "$DOCKER" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    die "no Docker engine; install it with: sudo apt-get install -y docker.io (then rerun the build)"
  fi
  echo "Installing docker.io (Debian) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends docker.io >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y --no-install-recommends docker.io >/dev/null; } \
    || die "apt-get install docker.io failed"
fi

if answers; then
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "dockerd is not running and only root can start it: sudo dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false &"

mkdir -p "$STATE"
# A lock, so two builds starting at once do not start two daemons.
exec 9>"$STATE/start.lock"
flock 9
if ! answers; then
  if [ -f "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null; then
    echo "dockerd (pid $(cat "$STATE/dockerd.pid")) is starting; waiting" >&2
  else
    rm -f "$SOCK"
    echo "Starting dockerd (host networking only; log $STATE/dockerd.log)" >&2
    nohup "$DOCKERD" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      --pidfile "$STATE/dockerd.pid" >"$STATE/dockerd.log" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    answers && break
    sleep 1
  done
fi
answers || die "dockerd did not answer within 60 s; last log lines:
$(tail -n 20 "$STATE/dockerd.log" 2>/dev/null)"
