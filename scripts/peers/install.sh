#!/usr/bin/env bash
# Installs the real peers the integration tests run against into <repo>/.peers/bin/.
# Idempotent and cached: a peer already present at its pinned version is skipped.
#
#   docker-registry  CNCF distribution 2.8 (Debian package), no referrers API
#   htpasswd         apache2-utils, bcrypt hashes for the htpasswd-auth registry
#   /usr/bin/time    GNU time (Debian `time`), peak RSS for `npm run bench`
#   openssl          test certificates for the token-auth registry and the Entra ID stand-in
#   chromium         Debian's Chromium, headless, renders the job summary (Markdown + Mermaid)
#   refreg           go-containerregistry's pkg/registry with the OCI 1.1 referrers API
#                    (scripts/peers/refreg)
#   ocischema        the image-spec's own validator (github.com/opencontainers/image-spec/schema)
#                    as a small checker for the tests (scripts/peers/ocischema)
#   oras             oras CLI
#   regctl           regclient CLI
#   toxiproxy-server toxiproxy (Shopify/toxiproxy/v2 cmd/server and cmd/cli): network faults
#   toxiproxy-cli    between ocigraph and the registries in __tests__/reliability
set -euo pipefail

ORAS_VERSION="v1.3.6"
REGCTL_VERSION="v0.11.7"
TOXIPROXY_VERSION="v2.5.0"
DISTRIBUTION_VERSION_PREFIX="2.8."
# go-containerregistry's version is pinned in scripts/peers/refreg/go.mod.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${REPO_ROOT}/.peers/bin"
mkdir -p "${BIN}"

export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

log() { printf '%-16s %s\n' "$1" "$2"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "install.sh: need root (or sudo) to run: $*" >&2
    exit 1
  fi
}

deb_version() {
  dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '$3 == "installed" { print $4 }'
}

need_cmd() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "install.sh: '$1' is required but not on PATH" >&2
    exit 1
  fi
}

# --- apt packages: docker-registry (distribution 2.8) and apache2-utils (htpasswd) ---
apt_missing=()
dist_ver="$(deb_version docker-registry || true)"
case "${dist_ver}" in
  "${DISTRIBUTION_VERSION_PREFIX}"*) ;;
  *) apt_missing+=(docker-registry) ;;
esac
if [ -z "$(deb_version apache2-utils || true)" ]; then
  apt_missing+=(apache2-utils)
fi
# GNU time (/usr/bin/time -f %M): peak memory of each run in `npm run bench`.
if [ ! -x /usr/bin/time ]; then
  apt_missing+=(time)
fi
# openssl: test CA, TLS and token-signing certificates for the token-auth rig (__tests__/rig/token-auth)
if ! command -v openssl >/dev/null 2>&1; then
  apt_missing+=(openssl)
fi

# chromium: headless browser for the rendered job summary test (__tests__/e2e/summary-render.test.ts);
# fonts-noto-color-emoji draws the summary's ✅/❌ in its screenshots.
if [ ! -x /usr/bin/chromium ]; then
  apt_missing+=(chromium)
fi
if [ -z "$(deb_version fonts-noto-color-emoji || true)" ]; then
  apt_missing+=(fonts-noto-color-emoji)
fi

apt_state="cached"
if [ "${#apt_missing[@]}" -gt 0 ]; then
  need_cmd apt-get
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # policy-rc.d exit 101: the package's init script must not start a system registry.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
  if [ "${policy_created}" -eq 1 ]; then
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  apt_state="installed"
  dist_ver="$(deb_version docker-registry)"
fi
case "${dist_ver}" in
  "${DISTRIBUTION_VERSION_PREFIX}"*) ;;
  *) echo "install.sh: docker-registry ${dist_ver:-missing}, expected ${DISTRIBUTION_VERSION_PREFIX}x" >&2; exit 1 ;;
esac
ln -sfn /usr/bin/docker-registry "${BIN}/docker-registry"
ln -sfn "$(command -v htpasswd)" "${BIN}/htpasswd"
log docker-registry "${apt_state} (${dist_ver}, /usr/bin/docker-registry)"
log htpasswd "${apt_state} (apache2-utils $(deb_version apache2-utils))"

# --- Go peers ---
need_cmd go

# go_mod_version <binary> <module>: the module version recorded in a Go binary.
go_mod_version() {
  go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }'
}

# refreg: rebuilt when its sources change (stamp = sha256 of main.go, go.mod, go.sum).
REFREG_SRC="${REPO_ROOT}/scripts/peers/refreg"
refreg_stamp="$(cd "${REFREG_SRC}" && cat main.go go.mod go.sum | sha256sum | cut -d' ' -f1)"
ggcr_version="$(awk '$1 == "github.com/google/go-containerregistry" { print $2 } $1 == "require" && $2 == "github.com/google/go-containerregistry" { print $3 }' "${REFREG_SRC}/go.mod")"
if [ -x "${BIN}/refreg" ] && [ "$(cat "${BIN}/.refreg.stamp" 2>/dev/null || true)" = "${refreg_stamp}" ]; then
  log refreg "cached (go-containerregistry ${ggcr_version})"
else
  (cd "${REFREG_SRC}" && go build -mod=readonly -trimpath -o "${BIN}/refreg" .)
  printf '%s\n' "${refreg_stamp}" >"${BIN}/.refreg.stamp"
  log refreg "installed (go-containerregistry ${ggcr_version})"
fi

# build_local_peer <name>: a Go program under scripts/peers/<name>, rebuilt when its sources
# change (stamp = sha256 of main.go, go.mod, go.sum). Its module versions are pinned in its go.mod.
build_local_peer() {
  local name="$1" src="${REPO_ROOT}/scripts/peers/$1" stamp
  stamp="$(cd "${src}" && cat main.go go.mod go.sum | sha256sum | cut -d' ' -f1)"
  if [ -x "${BIN}/${name}" ] && [ "$(cat "${BIN}/.${name}.stamp" 2>/dev/null || true)" = "${stamp}" ]; then
    log "${name}" "cached"
    return
  fi
  (cd "${src}" && go build -mod=readonly -trimpath -o "${BIN}/${name}" .)
  printf '%s\n' "${stamp}" >"${BIN}/.${name}.stamp"
  log "${name}" "installed"
}

build_local_peer ocischema

# go_install_peer <name> <module> <package> <version>
go_install_peer() {
  local name="$1" module="$2" pkg="$3" version="$4"
  if [ -x "${BIN}/${name}" ] && [ "$(go_mod_version "${BIN}/${name}" "${module}")" = "${version}" ]; then
    log "${name}" "cached (${module} ${version})"
    return
  fi
  GOBIN="${BIN}" go install "${pkg}@${version}"
  log "${name}" "installed (${module} ${version})"
}

go_install_peer oras oras.land/oras oras.land/oras/cmd/oras "${ORAS_VERSION}"
go_install_peer regctl github.com/regclient/regclient github.com/regclient/regclient/cmd/regctl "${REGCTL_VERSION}"

# go_build_peer <name> <module> <package> <version>: like go_install_peer, for packages whose
# binary name (cmd/server, cmd/cli) is too generic: built into a temp GOBIN, then renamed.
go_build_peer() {
  local name="$1" module="$2" pkg="$3" version="$4"
  if [ -x "${BIN}/${name}" ] && [ "$(go_mod_version "${BIN}/${name}" "${module}")" = "${version}" ]; then
    log "${name}" "cached (${module} ${version})"
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  GOBIN="${tmp}" go install "${pkg}@${version}"
  mv "${tmp}/$(basename "${pkg}")" "${BIN}/${name}"
  rm -rf "${tmp}"
  log "${name}" "installed (${module} ${version})"
}

go_build_peer toxiproxy-server github.com/Shopify/toxiproxy/v2 github.com/Shopify/toxiproxy/v2/cmd/server "${TOXIPROXY_VERSION}"
go_build_peer toxiproxy-cli github.com/Shopify/toxiproxy/v2 github.com/Shopify/toxiproxy/v2/cmd/cli "${TOXIPROXY_VERSION}"

# Node 24 for the e2e runs of dist/action.js and dist/task.js (scripts/peers/node24.sh)
bash "${REPO_ROOT}/scripts/peers/node24.sh"
