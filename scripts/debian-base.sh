#!/usr/bin/env bash
# Makes a runtime base image from Debian packages alone, for a Dockerfile build that pulls nothing
# from an image registry: a minimal Debian root (mmdebstrap, the essential packages and a headless
# JRE) imported with `podman import` (or `docker import`) as $IMAGE. The root file system is cached
# as a tarball under ~/.cache/ofn-webhook-image (mmdebstrap takes minutes; the import seconds).
#
#   bash scripts/debian-base.sh     # the engine: scripts/container-engine.sh
#
# Environment: DEBIAN_SUITE (default trixie: bookworm has no OpenJDK 25), JRE_PACKAGE (default
# openjdk-25-jre-headless), IMAGE (default localhost/ofn-webhook-debian-base:<suite>-<package>),
# OFN_IMAGE_CACHE (default ~/.cache/ofn-webhook-image). Prints the image's name on stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/container-engine.sh
source scripts/container-engine.sh
suite=${DEBIAN_SUITE:-trixie}
jre=${JRE_PACKAGE:-openjdk-25-jre-headless}
image=${IMAGE:-localhost/ofn-webhook-debian-base:$suite-$jre}
cache=${OFN_IMAGE_CACHE:-$HOME/.cache/ofn-webhook-image}
root=$cache/debian-$suite-$jre.tar
log() { echo "debian-base: $*" >&2; }
container_engine || { log "$ENGINE_NOTE"; exit 1; }

if [ ! -s "$root" ]; then
  command -v mmdebstrap >/dev/null || {
    log "installing mmdebstrap (Debian package)"
    { apt-get install -y -q mmdebstrap || { apt-get update -q && apt-get install -y -q mmdebstrap; }; } >&2
  }
  mkdir -p "$cache"
  log "making $root (mmdebstrap $suite, essential packages + $jre; a few minutes, once)"
  # The essential variant: a shell and coreutils (the training run and a debugging `exec` need
  # nothing more), dpkg's database so that scanners can list the packages; no apt, no init.
  # Documentation is left out (nothing the JVM reads). Not the man pages: the JRE's postinst links
  # its java.1.gz through update-alternatives and fails without /usr/share/man/man1.
  mmdebstrap --variant=essential --format=tar --include="$jre" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "$suite" "$root.part" >&2
  mv "$root.part" "$root"
fi
if ! "${ENGINE[@]}" image inspect "$image" >/dev/null 2>/dev/null || [ "$root" -nt "$cache/.imported-${image//[\/:]/_}" ]; then
  log "importing $root as $image"
  # The JRE's `java` on PATH (Debian puts it in /usr/bin through alternatives), UTF-8 without locales.
  "${ENGINE[@]}" import --change 'ENV LANG=C.UTF-8' --change 'CMD ["java", "-version"]' "$root" "$image" >&2
  touch "$cache/.imported-${image//[\/:]/_}"
fi
echo "$image"
