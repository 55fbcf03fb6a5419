#!/usr/bin/env bash
# Makes the local base image for the app and the Kafka stand-in without any image registry:
# a Debian bookworm root filesystem from the Debian mirror (debootstrap --variant=minbase),
# imported with `docker import`, plus Debian's openjdk-17-jre-headless installed by a RUN step
# (host network: the engine has no bridge). Both images are cached by a tag derived from this
# script's content, so a repeated build reuses them in a second.
# Usage: base-image.sh   -> prints the JRE image name on stdout.
set -euo pipefail

DOCKER=/usr/bin/docker
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rev="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
DEBIAN_IMAGE="intent-stream-ci/debian:bookworm-$rev"
JRE_IMAGE="intent-stream-ci/debian-jre17:bookworm-$rev"

have() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

if have "$JRE_IMAGE"; then echo "$JRE_IMAGE"; exit 0; fi

# The mirror apt already uses on this machine (deb822 or one-line format).
mirror="$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n1 || true)"
[ -n "$mirror" ] || mirror="$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

if ! have "$DEBIAN_IMAGE"; then
  if ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "base-image.sh: needs debootstrap: sudo apt-get install -y debootstrap" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null
  fi
  root="$(mktemp -d /var/tmp/intent-stream-rootfs.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  echo "debootstrap --variant=minbase bookworm from $mirror (about a minute) ..." >&2
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; exit 1; }
  rm -f "$root.log"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | "$DOCKER" import -c 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$root"; trap - EXIT
fi

echo "Installing openjdk-17-jre-headless into $JRE_IMAGE ..." >&2
DOCKER_BUILDKIT=0 "$DOCKER" build -q --network host --build-arg "BASE=$DEBIAN_IMAGE" \
  -t "$JRE_IMAGE" -f "$here/jre.Dockerfile" "$here" >/dev/null
echo "$JRE_IMAGE"
