#!/usr/bin/env bash
# The container image's base, made from Debian's packages alone (no registry): Debian 12's
# essential packages and openjdk-17-jre-headless, a user tf-mnist (uid and gid 10001), written as
# a `docker save` tarball, the local base-image form that Jib reads (`tar://`).
#
#   deploy/base-image.sh [OUT]        (default target/base-image/base.tar; needs root and mmdebstrap)
#
# Nearly reproducible: with the same package versions from the mirror and the same
# SOURCE_DATE_EPOCH (default: the last commit's time), every file's name, mode, owner, time and
# content is the same, but for /etc/ssl/certs/java/cacerts (the same certificates in a keystore
# with a random salt). New security updates in the mirror change it, as they should.
set -euo pipefail
out="${1:-target/base-image/base.tar}"
suite=bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org}"
packages=openjdk-17-jre-headless
tag=tf-mnist-base:bookworm-jre17
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}"

command -v mmdebstrap >/dev/null || {
  echo "base-image: needs mmdebstrap (apt-get install mmdebstrap)" >&2
  exit 1
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# essential (dpkg, coreutils, dash: what the launcher script needs) + the JRE and its libraries
# (libstdc++6, zlib: TensorFlow's natives need no more). Documentation, manual pages and
# translations are left out, copyright files kept (update-alternatives still wants man1/).
mmdebstrap --variant=essential --include="$packages" --format=tar \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='echo "tf-mnist:x:10001:10001:tf-mnist:/home/tf-mnist:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "tf-mnist:x:10001:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/home/tf-mnist" "$1/models" && chown 10001:10001 "$1/home/tf-mnist"' \
  --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/*.log "$1"/var/lib/apt/lists/*' \
  "$suite" "$work/layer.tar" \
  "deb $mirror/debian $suite main" "deb $mirror/debian $suite-updates main" \
  "deb $mirror/debian-security $suite-security main"

diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
java_home=/usr/lib/jvm/java-17-openjdk-amd64
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/base-image.sh: mmdebstrap --variant=essential $suite --include=$packages"}]}
JSON
echo "[{\"Config\":\"config.json\",\"RepoTags\":[\"$tag\"],\"Layers\":[\"layer.tar\"]}]" > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "base-image: $out ($tag, $(du -m "$out" | cut -f1) MB, layer $diff_id)"
