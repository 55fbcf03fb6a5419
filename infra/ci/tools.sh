#!/usr/bin/env bash
# Installs the Debian packages the infra tests run: prometheus (with promtool), docker-compose
# (v1, the compose implementation Debian 12 ships) and, when no kubectl is on the PATH,
# kubernetes-client (kubectl 1.20, whose `kubectl kustomize` renders infra/k8s). As root it
# installs what is missing; otherwise it fails with the apt-get line to run.
set -euo pipefail
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v promtool >/dev/null || missing+=(prometheus)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tools.sh: missing ${missing[*]}; install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} (Debian) ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { apt-get update -qq >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
