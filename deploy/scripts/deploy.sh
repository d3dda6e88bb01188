#!/usr/bin/env bash
# Deploy Phonebook to AWS in one command:
#   1. create the ECR repositories alone (terraform apply -target),
#   2. build both images and push them tagged with the git commit SHA,
#   3. apply the rest, which rolls the new tag out by instance refresh.
#
# Usage: deploy/scripts/deploy.sh
# Environment: AUTO_APPROVE=1 skips Terraform's confirmation prompts,
# ALLOW_DIRTY=1 deploys a work tree with uncommitted changes, BACKEND_CONFIG
# names the backend file, TF_VAR_* set Terraform variables.
set -euo pipefail

# shellcheck source=deploy/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

require_tools terraform aws docker git python3

if [[ -n "$(git -C "$repo_root" status --porcelain)" && "${ALLOW_DIRTY:-0}" != "1" ]]; then
    die "the work tree has uncommitted changes, so the images would not match the commit SHA they are tagged with; commit first or set ALLOW_DIRTY=1"
fi
image_tag="$(git -C "$repo_root" rev-parse HEAD)"
approve=()
if [[ "${AUTO_APPROVE:-0}" == "1" ]]; then
    approve=(-auto-approve)
fi

log "deploying image tag $image_tag"
tf_init

log "step 1/3: ECR repositories"
tf apply -input=false "${approve[@]}" -var "image_tag=$image_tag" -target=module.registry

declare -A repositories=()
while IFS='=' read -r component url; do
    repositories[$component]="$url"
done < <(tf_output_map ecr_repository_urls)
[[ -n "${repositories[api]:-}" && -n "${repositories[web]:-}" ]] ||
    die "terraform output ecr_repository_urls lacks the api or web repository"

region="$(registry_region "${repositories[api]}")"
aws ecr get-login-password --region "$region" |
    docker login --username AWS --password-stdin "${repositories[api]%%/*}"

log "step 2/3: build and push the images"
for component in api web; do
    repository="${repositories[$component]}"
    # Tags are immutable, so a tag that is already there is left alone.
    if aws ecr describe-images --region "$region" \
        --repository-name "${repository#*/}" \
        --image-ids "imageTag=$image_tag" >/dev/null 2>&1; then
        log "$repository:$image_tag already exists; skipping the build"
        continue
    fi
    docker build --file "$repo_root/docker/$component/Dockerfile" \
        --tag "$repository:$image_tag" "$repo_root"
    docker push "$repository:$image_tag"
done

log "step 3/3: everything else"
tf apply -input=false "${approve[@]}" -var "image_tag=$image_tag"

log "deployed; the page is at $(tf output -raw url)"
log "new instances need about 5 minutes to boot and pass health checks"
