"""CloudFormation and SAM templates as data: YAML with the short intrinsic tags, conditions."""

from pathlib import Path

import yaml

from .report import check


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (`!Ref`, `!If`, `!GetAtt`, ...) read as their long form."""


def _cfn_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_yaml(text: str):
    return yaml.load(text, Loader=CfnLoader)


def load_sam(deploy: Path, name: str):
    """`<name>/template.yaml`: its text and its data, checked to be a SAM template."""
    text = (deploy / name / "template.yaml").read_text()
    template = load_yaml(text)
    check(
        template.get("Transform") == "AWS::Serverless-2016-10-31",
        f"{name}: Transform must be AWS::Serverless-2016-10-31",
    )
    return text, template


NO_VALUE = object()


def evaluate_if(value, conditions):
    """`value` with every Fn::If resolved as CloudFormation would, for the given conditions."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, if_true, if_false = value["Fn::If"]
            return evaluate_if(if_true if conditions[name] else if_false, conditions)
        if value == {"Ref": "AWS::NoValue"}:
            return NO_VALUE
        resolved = {k: evaluate_if(v, conditions) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(value, list):
        return [v for v in (evaluate_if(v, conditions) for v in value) if v is not NO_VALUE]
    return value


def by_type(resources, kind):
    """The resources of one type, by logical id."""
    return {name: r for name, r in resources.items() if r["Type"] == kind}
