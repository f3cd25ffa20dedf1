#!/usr/bin/env bash
# Installs code-server (VS Code 1.100 served to a browser) and Debian's chromium for the end-to-end tests, using only
# the npm registry and Debian's packages: nothing is downloaded from anywhere else.
#   usage: scripts/install-code-server.sh [PREFIX]     (default: $HOME/.cache/skene-code-server)
# The last line printed is the path of the code-server binary. A finished install is reused as it is.
set -euo pipefail
prefix=${1:-$HOME/.cache/skene-code-server}
# 4.100.x is the last code-server line whose engines field accepts Node 20.
version=4.100.3
bin=$prefix/node_modules/.bin/code-server
if [[ -x $bin ]] && "$bin" --version >/dev/null 2>&1; then echo "$bin"; exit 0; fi

export DEBIAN_FRONTEND=noninteractive
sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
missing=()
# Build headers for code-server's native modules (kerberos, native-keymap, keytar), ripgrep to stand in for the
# binary @vscode/ripgrep would fetch, and the browser the tests drive.
for pkg in pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# @vscode/ripgrep's postinstall looks in a per-version cache folder before it downloads a release archive:
# put Debian's rg there, packed the way the archive would be, so the download never happens.
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
cp "$(command -v rg)" "$seed/rg"
tar czf "$seed/rg.tgz" -C "$seed" rg
for ripgrep_version in $(npm view @vscode/ripgrep versions --json | tr -d '[]", ' | grep -E '^1\.1[5-9]\.'); do
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$ripgrep_version"
  mkdir -p "$cache"
  cp "$seed/rg.tgz" "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
done

mkdir -p "$prefix"
cd "$prefix"
[[ -f package.json ]] || npm init -y >/dev/null
# code-server's postinstall refuses root without unsafe-perm, and node-pty's calls npx (which would prompt).
if ! npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund "code-server@$version" >install.log 2>&1; then
  tail -40 install.log >&2
  exit 1
fi
"$bin" --version >/dev/null
echo "$bin"
