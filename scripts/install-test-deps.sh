#!/usr/bin/env bash
# Installs what the test suite and the benchmarks need from Debian's packages, when missing:
#   chromium (e2e tests in web mode), python3-rpyc (RPyC servers under /usr/bin/python3), xvfb.
# Runs before `npm test` and `npm run bench`; a no-op when everything is present.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import rpyc' >/dev/null 2>&1 || missing+=(python3-rpyc)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "rpcscope tests and benchmarks need: ${missing[*]} (installing with apt-get)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "not root and no sudo: install ${missing[*]} with your package manager, then run the tests again" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
