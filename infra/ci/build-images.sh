#!/usr/bin/env bash
# Prepares everything the container and Prometheus tests need, without any image registry:
# Docker engine, the local JRE base image, the app image built from infra/docker/Dockerfile with
# only --build-arg BASE_IMAGE, the Kafka stand-in image, prometheus/promtool and docker-compose.
# Writes the image names to the properties file given as $1 (the tests read them from there).
# Images are tagged by content, so parallel checkouts sharing one daemon never overwrite each
# other's image and a rebuild with unchanged inputs takes a second.
set -euo pipefail
out="${1:?usage: build-images.sh <output.properties>}"
ci="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$ci/../.." && pwd)"
DOCKER=/usr/bin/docker
start=$SECONDS

"$ci/tools.sh"
"$ci/docker-daemon.sh"
base="$("$ci/base-image.sh")"

# The jar path is written once, in the Dockerfile's COPY line.
dockerfile="$root/infra/docker/Dockerfile"
jar="$(sed -n 's#^COPY .* \([^ ]*\.jar\) /app/.*#\1#p' "$dockerfile")"
[ -n "$jar" ] || { echo "build-images.sh: no COPY of a .jar in $dockerfile" >&2; exit 1; }
[ -f "$root/$jar" ] || { echo "build-images.sh: $jar is missing: build it first (./mvnw -pl stream-app -am package)" >&2; exit 1; }

hash_of() { cat "$@" | sha256sum | cut -c1-12; }
app_image="intent-stream:it-$( (hash_of "$root/$jar" "$dockerfile" "$root/infra/docker/intent-stream.properties"; echo "$base") | sha256sum | cut -c1-12)"
if ! "$DOCKER" image inspect "$app_image" >/dev/null 2>&1; then
  echo "docker build -f infra/docker/Dockerfile --build-arg BASE_IMAGE=$base -t $app_image" >&2
  # --network none: the engine has no bridge network (RUN steps would fail with "network bridge
  # not found"), and the Dockerfile's RUN step needs no network anyway.
  (cd "$root" && DOCKER_BUILDKIT=1 "$DOCKER" build -q --network none --build-arg "BASE_IMAGE=$base" \
      -f infra/docker/Dockerfile -t "$app_image" . >/dev/null)
fi

kdir="$root/infra/kafka-standin"
[ -d "$kdir/target/libs" ] || { echo "build-images.sh: $kdir/target/libs is missing: run the Maven build (package)" >&2; exit 1; }
kafka_image="intent-stream-ci/kafka:$( (ls "$kdir/target/libs"; cat "$kdir/Dockerfile" "$kdir"/bin/* "$kdir"/config/*; echo "$base") | sha256sum | cut -c1-12)"
if ! "$DOCKER" image inspect "$kafka_image" >/dev/null 2>&1; then
  echo "docker build infra/kafka-standin -t $kafka_image" >&2
  DOCKER_BUILDKIT=0 "$DOCKER" build -q --build-arg "BASE_IMAGE=$base" -t "$kafka_image" "$kdir" >/dev/null
fi

mkdir -p "$(dirname "$out")"
cat >"$out" <<PROPS
# Written by infra/ci/build-images.sh
base.image=$base
app.image=$app_image
kafka.image=$kafka_image
app.image.bytes=$("$DOCKER" image inspect -f '{{.Size}}' "$app_image")
PROPS
echo "Images ready in $((SECONDS - start)) s: $app_image, $kafka_image (base $base)" >&2
