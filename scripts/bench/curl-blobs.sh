#!/usr/bin/env bash
# The physical baseline: blobs moved with curl alone, one POST + one monolithic PUT per blob,
# all blobs in parallel (like the tools' concurrent transfers).
#
#   curl-blobs.sh upload DST_HOST DST_REPO FILE:DIGEST...          local files -> registry
#   curl-blobs.sh pipe   SRC_HOST SRC_REPO DST_HOST DST_REPO DIGEST...   GET | PUT, registry -> registry
set -euo pipefail

location() { # host repo -> upload URL (absolute)
  local loc
  loc="$(curl -sS -f -X POST -D - -o /dev/null "http://$1/v2/$2/blobs/uploads/" |
    tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')"
  case "$loc" in
    http*) printf '%s' "$loc" ;;
    *) printf 'http://%s%s' "$1" "$loc" ;;
  esac
}

sep() { case "$1" in *\?*) printf '&' ;; *) printf '?' ;; esac; }

mode="$1"
shift
pids=()
if [ "$mode" = upload ]; then
  dst="$1" repo="$2"
  shift 2
  for spec in "$@"; do
    file="${spec%%:sha256:*}" digest="sha256:${spec##*:sha256:}"
    (
      loc="$(location "$dst" "$repo")"
      curl -sS -f -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
        -T "$file" "${loc}$(sep "$loc")digest=${digest}"
    ) &
    pids+=($!)
  done
elif [ "$mode" = pipe ]; then
  src="$1" srepo="$2" dst="$3" repo="$4"
  shift 4
  for digest in "$@"; do
    (
      loc="$(location "$dst" "$repo")"
      curl -sS -f "http://${src}/v2/${srepo}/blobs/${digest}" |
        curl -sS -f -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
          -T - "${loc}$(sep "$loc")digest=${digest}"
    ) &
    pids+=($!)
  done
else
  echo "usage: curl-blobs.sh upload|pipe ..." >&2
  exit 2
fi
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit "$rc"
