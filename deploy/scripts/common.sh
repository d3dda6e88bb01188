# Shared helpers of the operator scripts; sourced, not run.
# shellcheck shell=bash

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034 # read by the scripts that source this file
repo_root="$(cd "$deploy_dir/.." && pwd)"

log() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

die() {
    log "error: $*"
    exit 1
}

require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool not found in PATH; install it first (see the README, Deploy to AWS)"
    done
}

tf() {
    terraform -chdir="$deploy_dir" "$@"
}

# Initialise the S3 backend from deploy/backend.hcl, or from the file named by
# BACKEND_CONFIG.
tf_init() {
    local backend_config="${BACKEND_CONFIG:-$deploy_dir/backend.hcl}"
    [[ -f "$backend_config" ]] ||
        die "backend config $backend_config not found; copy deploy/backend.hcl.example and set the bucket that deploy/bootstrap created"
    tf init -input=false -reconfigure -backend-config="$backend_config"
}

# Print the value of a map output as KEY=VALUE lines.
tf_output_map() {
    tf output -json "$1" | python3 -c '
import json, sys
for key, value in json.load(sys.stdin).items():
    print(f"{key}={value}")
'
}

# Print the region of an ECR repository URL (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME).
registry_region() {
    local host="${1%%/*}"
    host="${host#*.dkr.ecr.}"
    printf '%s\n' "${host%%.*}"
}
