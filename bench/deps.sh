#!/bin/sh
# bench/deps.sh — install the Debian packages the benchmarks need beyond the
# build's own (make deps installs sqlite3): ripgrep (the rg -P peer), python3
# (corpus generator, Python peer, report), Debian's scikit-learn and gensim for
# /usr/bin/python3 (the inductive pass's peers) and GNU time (/usr/bin/time for peak
# memory). Installs only what is missing, so running it again does nothing.
set -eu
missing=""
for p in ripgrep python3 python3-sklearn python3-gensim time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "bench/deps.sh: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # the list is meant to split
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
