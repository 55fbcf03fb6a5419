# Debian bookworm + Debian's Java 17 runtime: the local stand-in for eclipse-temurin:17-jre
# (infra/docker/Dockerfile's default BASE_IMAGE), built by base-image.sh from a debootstrap
# root filesystem. ca-certificates-java runs java in its postinst, hence a RUN here and not a
# chroot.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
