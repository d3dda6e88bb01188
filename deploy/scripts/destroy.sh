#!/usr/bin/env bash
# Destroy every billable resource of the Phonebook deployment: empty the ECR
# repositories (Terraform cannot delete a repository that contains images), then
# terraform destroy. The state bucket from deploy/bootstrap stays; see
# the README (Deploy to AWS, Teardown) for removing it.
#
# Usage: deploy/scripts/destroy.sh
# Environment: AUTO_APPROVE=1 skips the confirmation prompt, BACKEND_CONFIG
# names the backend file, TF_VAR_* set Terraform variables.
set -euo pipefail

# shellcheck source=deploy/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

require_tools terraform aws python3

approve=()
if [[ "${AUTO_APPROVE:-0}" == "1" ]]; then
    approve=(-auto-approve)
fi

tf_init

while IFS='=' read -r component url; do
    repository="${url#*/}"
    region="$(registry_region "$url")"
    log "deleting every image in $repository ($component)"
    while true; do
        image_ids="$(aws ecr list-images --region "$region" \
            --repository-name "$repository" \
            --max-items 100 --query 'imageIds' --output json)"
        [[ "$image_ids" == "[]" ]] && break
        aws ecr batch-delete-image --region "$region" \
            --repository-name "$repository" \
            --image-ids "$image_ids" >/dev/null
    done
done < <(tf_output_map ecr_repository_urls 2>/dev/null || true)

# The image tag does not matter for destroy, but the variable is required.
tf destroy -input=false "${approve[@]}" -var "image_tag=destroy"

log "destroyed. Left in place on purpose: the state bucket (deploy/bootstrap)"
log "and, if db_final_snapshot was true, the final database snapshot."
