#!/usr/bin/env bash
# Installs what Bulwark's build and tests need and is missing, and nothing
# else. Safe to run again: each step checks first.
#   scripts/deps.sh web      npm packages of the web app
#   scripts/deps.sh browser  Debian's chromium, for the browser tests
#   scripts/deps.sh java     Java 17, for DynamoDB Local
#   scripts/deps.sh infra    npm packages of infra/ (the aws-cdk CLI)
#   scripts/deps.sh all      everything above
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to apt-get install $*" >&2; exit 1; }
    sudo="sudo"
  fi
  say "installing $* with apt-get"
  if [ ! -f /tmp/.bulwark-apt-updated ]; then
    $sudo apt-get update -qq && touch /tmp/.bulwark-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_go() {
  command -v go >/dev/null || { echo "Go 1.26 is required: https://go.dev/doc/install" >&2; exit 1; }
}

need_node() {
  command -v npm >/dev/null || apt_install nodejs npm
}

# npm_ci DIR: installs DIR's packages when node_modules is missing or older
# than package-lock.json.
npm_ci() {
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

web() { need_node; npm_ci web; }
infra() { need_node; npm_ci infra; }
browser() { [ -x /usr/bin/chromium ] || apt_install chromium fonts-liberation; }
java() { command -v java >/dev/null || apt_install openjdk-17-jre-headless; }

need_go
for what in "${@:-all}"; do
  case "$what" in
    web) web ;;
    infra) infra ;;
    browser) browser ;;
    java) java ;;
    all) web; infra; browser; java ;;
    *) echo "deps.sh: unknown part $what" >&2; exit 2 ;;
  esac
done
