#!/usr/bin/env bash
# Show scale-out and scale-in: send more than 30 requests a minute through the
# load balancer for LOAD_MINUTES, then stop and keep watching for
# WATCH_MINUTES. The Auto Scaling group's desired count is printed every
# 30 seconds throughout.
#
# Usage: deploy/scripts/load-test.sh
# Environment: REQUESTS_PER_MINUTE (default 120), LOAD_MINUTES (default 8),
# WATCH_MINUTES (default 15), BACKEND_CONFIG names the backend file.
# Expect one instance more per minute above 30 requests, up to 10, and one
# fewer per minute once the load stops, down to 2.
set -euo pipefail

# shellcheck source=deploy/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

require_tools terraform aws curl

requests_per_minute="${REQUESTS_PER_MINUTE:-120}"
load_minutes="${LOAD_MINUTES:-8}"
watch_minutes="${WATCH_MINUTES:-15}"
[[ "$requests_per_minute" =~ ^[0-9]+$ && "$requests_per_minute" -gt 30 ]] ||
    die "REQUESTS_PER_MINUTE must be an integer above 30, got '$requests_per_minute'"

tf_init >/dev/null
url="$(tf output -raw url)"
asg="$(tf output -raw autoscaling_group_name)"

print_capacity() {
    local capacity
    capacity="$(aws autoscaling describe-auto-scaling-groups \
        --auto-scaling-group-names "$asg" \
        --query 'AutoScalingGroups[0].[DesiredCapacity, length(Instances)]' \
        --output text)"
    printf '%s  desired/instances: %s\n' "$(date -u +%H:%M:%S)" "${capacity//$'\t'/\/}"
}

# Send requests_per_minute requests per minute for $1 minutes (bounded).
send_load() {
    local minutes="$1" total interval sent=0
    total=$((requests_per_minute * minutes))
    interval="$(awk -v rate="$requests_per_minute" 'BEGIN { printf "%.3f", 60 / rate }')"
    while ((sent < total)); do
        curl --silent --output /dev/null --max-time 5 "$url" || true
        sent=$((sent + 1))
        sleep "$interval"
    done
}

watch_capacity() {
    local seconds="$1" end
    end=$((SECONDS + seconds))
    while ((SECONDS < end)); do
        print_capacity
        sleep 30
    done
}

log "load: $requests_per_minute requests/minute to $url for $load_minutes minutes"
send_load "$load_minutes" &
load_pid=$!
trap 'kill "$load_pid" 2>/dev/null || true' EXIT
watch_capacity $((load_minutes * 60))
wait "$load_pid" || true

log "load stopped; watching scale-in for $watch_minutes minutes"
watch_capacity $((watch_minutes * 60))
print_capacity
