"""Checkov policy: every EBS volume of a launch template is encrypted.

Checkov's built-in checks cover aws_instance and aws_ebs_volume but not the
block_device_mappings of aws_launch_template, so an unencrypted root volume of
every Auto Scaling instance would go unnoticed. A launch template without
block_device_mappings also fails, because its volumes then follow the AMI,
which does not encrypt them.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _first(value: Any) -> Any:
    """Unwrap the one-element lists that checkov's HCL parser produces."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


class LaunchTemplateEbsEncrypted(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every EBS volume in a launch template is encrypted",
            id="CKV_PHONEBOOK_1",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_launch_template"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        mappings = conf.get("block_device_mappings")
        if not mappings:
            return CheckResult.FAILED
        for mapping in mappings:
            mapping = _first(mapping)
            if not isinstance(mapping, dict):
                return CheckResult.FAILED
            if _first(mapping.get("no_device")) in (True, "true", ""):
                continue
            ebs = _first(mapping.get("ebs"))
            if not isinstance(ebs, dict):
                return CheckResult.FAILED
            if _first(ebs.get("encrypted")) not in (True, "true"):
                return CheckResult.FAILED
        return CheckResult.PASSED


check = LaunchTemplateEbsEncrypted()
