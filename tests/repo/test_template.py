"""Static checks of the SAM template (template.yaml) and of the sample events in events/.

cfn-lint validates the template against the CloudFormation/SAM schemas; the tests below pin
the properties this project relies on (security posture, scheduling, wiring to the code).
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from factories import SITE_URL

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
EVENTS = ROOT / "events"

FUNCTION = "PaperfeedFunction"  # the Makefile's build-PaperfeedFunction target needs this id
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ENV_VARS = {
    "BUCKET_NAME",
    "SITE_URL",
    "DISTRIBUTION_ID",
    "WINDOW_DAYS",
    "HF_BASE_URL",
    "HUB_URL",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
    "LOG_LEVEL",
}


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short forms (!Ref, !Sub, !GetAtt...) as long forms."""


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


_CfnLoader.add_multi_constructor("!", _construct_intrinsic)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def _of_type(resources: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in resources.items() if res["Type"] == type_}


def _only(resources: dict[str, Any], type_: str) -> tuple[str, dict[str, Any]]:
    found = _of_type(resources, type_)
    assert len(found) == 1, f"expected one {type_}, found {sorted(found)}"
    return next(iter(found.items()))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _as_sub(value: Any) -> str:
    """A name given as a literal, !Ref or !Sub, as the string !Sub would expand."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return "${" + value["Ref"] + "}"
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return value["Fn::Sub"]
    raise AssertionError(f"unsupported name expression: {value!r}")


def _policy_statements(node: Any) -> list[dict[str, Any]]:
    """Every statement of every IAM policy document anywhere in the template."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        statements = node.get("Statement")
        if isinstance(statements, list) and all(isinstance(s, dict) for s in statements):
            found.extend(statements)
        for value in node.values():
            found.extend(_policy_statements(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_policy_statements(value))
    return found


PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "111122223333",
          "AWS::StackName": "paperfeed"}
NO_VALUE = object()  # what AWS::NoValue leaves: the key or list item is dropped


class _Stack:
    """The template's values as CloudFormation would resolve them for one set of parameters:
    Ref, Fn::Sub, Fn::If, the condition functions, AWS::NoValue. An attribute of a resource
    (Fn::GetAtt, or ${Res.Attr} in a Sub) stays symbolic, as <Res.Attr>."""

    def __init__(self, template: dict[str, Any], **parameters: str) -> None:
        self.template = template
        defaults = {name: str(p.get("Default", "")) for name, p in template["Parameters"].items()}
        unknown = set(parameters) - set(defaults)
        assert not unknown, f"not parameters of the template: {sorted(unknown)}"
        self.values = {**PSEUDO, **defaults, **parameters}

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.template["Conditions"][name]))

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        return self.values.get(name, f"<{name}>")  # a resource's Ref stays symbolic

    def _sub(self, text: str, extra: dict[str, Any]) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(extra[name])
            return str(self._ref(name)) if "." not in name else f"<{name}>"
        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::GetAtt":
                return f"<{'.'.join(arg)}>"
            if key == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else arg
                return self._sub(text, {k: self.resolve(v) for k, v in extra.items()})
            if key == "Fn::If":
                name, then, otherwise = arg
                return self.resolve(then if self.condition(name) else otherwise)
            if key == "Fn::Equals":
                left, right = (self.resolve(v) for v in arg)
                return left == right
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in arg)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in arg)
        resolved = {k: self.resolve(v) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def resources(self) -> dict[str, Any]:
        """The resources this stack would have (their Condition true), resolved."""
        return {name: self.resolve(res) for name, res in self.template["Resources"].items()
                if "Condition" not in res or self.condition(res["Condition"])}


def _iam_allows(statements: list[dict[str, Any]], action: str, resource: str,
                context: dict[str, str] | None = None) -> bool:
    """Whether these (resolved) Allow statements grant `action` on `resource`, IAM-style:
    `*` and `?` wildcards in ARNs (`*` also matching nothing), StringEquals conditions
    checked against the request's context keys."""
    context = context or {}
    for s in statements:
        if s["Effect"] != "Allow" or action not in _as_list(s["Action"]):
            continue
        if not any(fnmatch.fnmatchcase(resource, arn) for arn in _as_list(s["Resource"])):
            continue
        conditions = s.get("Condition", {})
        assert set(conditions) <= {"StringEquals"}, f"unsupported condition: {conditions}"
        if all(context.get(key) in _as_list(value)
               for key, value in conditions.get("StringEquals", {}).items()):
            return True
    return False


def test_cfn_lint_passes() -> None:
    # cfnlint has no __main__; call its console entry point with this interpreter.
    command = [
        sys.executable,
        "-c",
        "import sys; from cfnlint.runner import main; sys.exit(main())",
        str(TEMPLATE),
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, (
        f"cfn-lint exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )


def test_function_runtime_build_and_concurrency(resources: dict[str, Any]) -> None:
    function = resources[FUNCTION]
    props = function["Properties"]
    assert function["Type"] == "AWS::Serverless::Function"
    assert props["Runtime"] == "python3.13"
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == "paperfeed.entrypoints.lambda_handler.handler"
    assert props["ReservedConcurrentExecutions"] == 1
    # A 90-day backfill peaks at 124 MB (make bench): never below that with the runtime.
    assert 160 <= props["MemorySize"] <= 512
    assert 60 <= props["Timeout"] <= 900
    assert props["CodeUri"] == "."
    assert function["Metadata"]["BuildMethod"] == "makefile"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"build-{FUNCTION}:" in makefile


def test_function_environment(resources: dict[str, Any]) -> None:
    variables = resources[FUNCTION]["Properties"]["Environment"]["Variables"]
    assert set(variables) >= ENV_VARS, f"missing: {sorted(ENV_VARS - set(variables))}"
    assert variables["POWERTOOLS_SERVICE_NAME"] == "paperfeed"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "Paperfeed"
    dist_name, _ = _only(resources, "AWS::CloudFront::Distribution")
    assert variables["DISTRIBUTION_ID"] == {"Ref": dist_name}


def test_log_group_is_the_functions(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = resources[FUNCTION]["Properties"]
    group_ref = props["LoggingConfig"]["LogGroup"]
    group = resources[group_ref["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup"
    expected = "/aws/lambda/" + _as_sub(props["FunctionName"])
    assert _as_sub(group["Properties"]["LogGroupName"]) == expected
    retention = group["Properties"]["RetentionInDays"]
    assert retention == {"Ref": "LogRetentionDays"}
    assert template["Parameters"]["LogRetentionDays"]["Default"] == 30


def test_schedule_retries_and_dead_letters(
    resources: dict[str, Any], template: dict[str, Any]
) -> None:
    events = resources[FUNCTION]["Properties"]["Events"]
    schedules = [e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2"]
    assert schedules, "no ScheduleV2 event on the function"
    assert template["Parameters"]["ScheduleExpression"]["Default"] == "rate(1 hour)"
    sample = json.loads((EVENTS / "scheduled.json").read_text(encoding="utf-8"))
    for schedule in schedules:
        assert schedule["ScheduleExpression"] == {"Ref": "ScheduleExpression"}
        assert "RetryPolicy" in schedule, "the schedule needs a RetryPolicy"
        retry = schedule["RetryPolicy"]
        assert 0 <= retry["MaximumRetryAttempts"] <= 185
        assert 60 <= retry["MaximumEventAgeInSeconds"] <= 86400
        assert "DeadLetterConfig" in schedule, "the schedule needs a DeadLetterConfig"
        queue_name, attribute = schedule["DeadLetterConfig"]["Arn"]["Fn::GetAtt"]
        assert attribute == "Arn"
        assert resources[queue_name]["Type"] == "AWS::SQS::Queue"
        payload = json.loads(schedule["Input"])
        assert not {"date", "days"} & set(payload), "a scheduled run must not pin a backfill"
        assert set(payload) == set(sample), "events/scheduled.json must mirror the Input"


def test_bucket_is_private_versioned_and_encrypted(resources: dict[str, Any]) -> None:
    _, bucket = _only(resources, "AWS::S3::Bucket")
    props = bucket["Properties"]
    block = props["PublicAccessBlockConfiguration"]
    for setting in (
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ):
        assert block.get(setting) is True, setting
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    encryption = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    algorithms = [rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] for rule in encryption]
    assert algorithms == ["AES256"]
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    expiries = [
        rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        for rule in props["LifecycleConfiguration"]["Rules"]
        if rule["Status"] == "Enabled" and "NoncurrentVersionExpiration" in rule
    ]
    assert expiries == [30]


def test_no_wildcard_actions_are_allowed(template: dict[str, Any]) -> None:
    statements = _policy_statements(template["Resources"])
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) >= 5, "expected the bucket, trust and function policies"
    for statement in allows:
        assert "NotAction" not in statement, statement
        for action in _as_list(statement["Action"]):
            assert action != "*" and not action.endswith(":*"), statement
    # A wildcard is only acceptable to deny (the bucket's deny of non-TLS requests).
    for statement in statements:
        if any(a == "*" or a.endswith(":*") for a in _as_list(statement.get("Action", []))):
            assert statement["Effect"] == "Deny", statement


def test_function_role_is_written_out_and_scoped(resources: dict[str, Any]) -> None:
    props = resources[FUNCTION]["Properties"]
    assert "Policies" not in props, "use the explicit role, not SAM policy templates"
    role_name, attribute = props["Role"]["Fn::GetAtt"]
    assert attribute == "Arn"
    role = resources[role_name]["Properties"]
    assert "ManagedPolicyArns" not in role
    statements = _policy_statements(role["Policies"])
    dist_name, _ = _only(resources, "AWS::CloudFront::Distribution")
    bucket_name, _ = _only(resources, "AWS::S3::Bucket")
    seen: set[str] = set()
    for statement in statements:
        actions = set(_as_list(statement["Action"]))
        seen |= actions
        resources_ = _as_list(statement["Resource"])
        assert "*" not in resources_, statement
        if actions & {"s3:GetObject", "s3:PutObject"}:
            for resource in resources_:
                arn = _as_sub(resource)
                assert arn.startswith("${" + bucket_name + ".Arn}/"), arn
                assert arn != "${" + bucket_name + ".Arn}/*", "object access is per prefix"
        if "cloudfront:CreateInvalidation" in actions:
            assert resources_ == [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}"
                    ":distribution/${" + dist_name + "}"
                }
            ]
    assert {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "cloudfront:CreateInvalidation"} <= (
        seen
    )
    assert "s3:DeleteObject" not in seen


def test_the_role_may_write_every_object_a_run_writes(
    resources: dict[str, Any], site_30: Path
) -> None:
    """Every key of a real site (topic and organisation OPML, the manifest) is under one of
    the role's object resources: a key left out fails with AccessDenied only once deployed."""
    import fnmatch

    role_name, _ = resources[FUNCTION]["Properties"]["Role"]["Fn::GetAtt"]
    patterns = [
        _as_sub(resource).split("}/", 1)[1]
        for statement in _policy_statements(resources[role_name]["Properties"]["Policies"])
        if "s3:PutObject" in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
    ]
    keys = [p.relative_to(site_30).as_posix() for p in site_30.rglob("*")
            if p.is_file() and not p.name.startswith(".")]
    assert {"topics.opml", "orgs.opml", "state/manifest.json"} <= set(keys)
    denied = [k for k in keys if not any(fnmatch.fnmatchcase(k, p) for p in patterns)]
    assert not denied, denied


def test_bucket_policy_allows_only_this_distribution(resources: dict[str, Any]) -> None:
    _, policy = _only(resources, "AWS::S3::BucketPolicy")
    dist_name, _ = _only(resources, "AWS::CloudFront::Distribution")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert allows
    source_arn = {
        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${"
        + dist_name
        + "}"
    }
    for allow in allows:
        assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert _as_list(allow["Action"]) == ["s3:GetObject"]
        assert allow["Condition"]["StringEquals"]["AWS:SourceArn"] == source_arn
    denies_plain_http = [
        s
        for s in statements
        if s["Effect"] == "Deny"
        and str(s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")).lower()
        == "false"
    ]
    assert len(denies_plain_http) == 1
    assert _as_list(denies_plain_http[0]["Action"]) == ["s3:*"]


def test_cloudfront_serves_https_compressed_through_oac(resources: dict[str, Any]) -> None:
    _, distribution = _only(resources, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    behaviors = [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]
    for behavior in behaviors:
        assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behavior["Compress"] is True
        assert behavior["CachePolicyId"] == CACHING_OPTIMIZED
    assert config["DefaultRootObject"] == "index.html"
    assert config["HttpVersion"] == "http2and3"
    assert config["PriceClass"] == {"Ref": "PriceClass"}
    for origin in config["Origins"]:
        oac_name, attribute = origin["OriginAccessControlId"]["Fn::GetAtt"]
        assert attribute == "Id"
        oac = resources[oac_name]
        assert oac["Type"] == "AWS::CloudFront::OriginAccessControl"
        oac_config = oac["Properties"]["OriginAccessControlConfig"]
        assert oac_config["SigningBehavior"] == "always"
        assert oac_config["SigningProtocol"] == "sigv4"
        assert oac_config["OriginAccessControlOriginType"] == "s3"
        assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""
        assert origin["DomainName"]["Fn::GetAtt"][1] == "RegionalDomainName"


CUSTOM_DOMAIN = {
    "DomainName": "papers.example.org",
    "CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/"
                      "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
}


@pytest.mark.parametrize("custom", [False, True], ids=["cloudfront-name", "custom-domain"])
def test_site_url_and_outputs_name_the_public_host(template: dict[str, Any],
                                                   custom: bool) -> None:
    stack = _Stack(template, **(CUSTOM_DOMAIN if custom else {}))
    dist_name, _ = _only(template["Resources"], "AWS::CloudFront::Distribution")
    host = "papers.example.org" if custom else f"<{dist_name}.DomainName>"
    variables = stack.resources()[FUNCTION]["Properties"]["Environment"]["Variables"]
    assert variables["SITE_URL"] == f"https://{host}/"  # the base of every self link
    outputs = {name: stack.resolve(o["Value"]) for name, o in template["Outputs"].items()}
    assert outputs["SiteUrl"] == f"https://{host}/"
    for feed in ("Daily", "Digest"):
        for fmt, ext in (("Atom", "atom"), ("Rss", "rss"), ("Json", "json")):
            assert outputs[f"{feed}{fmt}Url"] == f"https://{host}/feeds/{feed.lower()}.{ext}"
    # Where the custom name's DNS points, whichever name the site goes by.
    assert outputs["DistributionDomainName"] == f"<{dist_name}.DomainName>"
    assert {"BucketName", "DistributionId"} <= outputs.keys()


def test_custom_domain_is_served_with_its_certificate_and_tls_1_2(
    template: dict[str, Any]
) -> None:
    def distribution(**parameters: str) -> dict[str, Any]:
        (found,) = [r["Properties"]["DistributionConfig"]
                    for r in _Stack(template, **parameters).resources().values()
                    if r["Type"] == "AWS::CloudFront::Distribution"]
        return found

    custom = distribution(**CUSTOM_DOMAIN)
    assert custom["Aliases"] == ["papers.example.org"]
    assert custom["ViewerCertificate"] == {
        "AcmCertificateArn": CUSTOM_DOMAIN["CertificateArn"],
        "SslSupportMethod": "sni-only",  # a dedicated IP costs $600 a month
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    default = distribution()
    assert "Aliases" not in default
    assert default["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}
    # Half a custom domain (which the rule below refuses anyway) is no custom domain.
    for half in ("DomainName", "CertificateArn"):
        assert distribution(**{half: CUSTOM_DOMAIN[half]}) == default, half
    params = template["Parameters"]
    assert params["DomainName"]["Default"] == params["CertificateArn"]["Default"] == ""
    # CloudFront ignores the minimum on its default certificate: the parameters say so.
    assert "TLSv1" in " ".join(params["DomainName"]["Description"].split())


def test_a_custom_domain_needs_both_its_name_and_its_certificate(
    template: dict[str, Any]
) -> None:
    def refused(**parameters: str) -> list[str]:
        stack = _Stack(template, **parameters)
        return [name for name, rule in template["Rules"].items()
                if stack.resolve(rule.get("RuleCondition", True))
                and not all(stack.resolve(a["Assert"]) for a in rule["Assertions"])]

    assert refused() == [] and refused(**CUSTOM_DOMAIN) == []
    assert refused(DomainName=CUSTOM_DOMAIN["DomainName"]) == ["CustomDomainNeedsBoth"]
    assert refused(CertificateArn=CUSTOM_DOMAIN["CertificateArn"]) == ["CustomDomainNeedsBoth"]
    params = template["Parameters"]
    name = re.compile(params["DomainName"]["AllowedPattern"])
    for good in ("", "papers.example.org", "feeds.my-lab.co.uk", "a.io"):
        assert name.fullmatch(good), good
    for bad in ("https://papers.example.org", "papers.example.org/", "Papers.Example.org",
                "localhost", "-x.example.org", "*.example.org"):
        assert not name.fullmatch(bad), bad
    arn = re.compile(params["CertificateArn"]["AllowedPattern"])
    assert arn.fullmatch("") and arn.fullmatch(CUSTOM_DOMAIN["CertificateArn"])
    # CloudFront takes certificates from us-east-1 only.
    assert not arn.fullmatch(CUSTOM_DOMAIN["CertificateArn"].replace("us-east-1", "eu-west-1"))
    assert not arn.fullmatch("arn:aws:iam::111122223333:server-certificate/site")


def test_sample_events_parse() -> None:
    files = sorted(EVENTS.glob("*.json"))
    assert {"scheduled.json", "backfill.json"} <= {f.name for f in files}
    parsed = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in files}
    for name, event in parsed.items():
        assert isinstance(event, dict), name
    backfill = parsed["backfill.json"]
    assert date.fromisoformat(backfill["date"]) == date(2026, 7, 31)
    assert backfill["days"] == 30


def test_alarms_cover_errors_dead_letters_and_stale_feeds(
    resources: dict[str, Any], template: dict[str, Any]
) -> None:
    alarms = {name: r["Properties"] for name, r in resources.items()
              if r["Type"] == "AWS::CloudWatch::Alarm"}
    metrics = {(a["Namespace"], a["MetricName"]) for a in alarms.values()}
    assert metrics == {("AWS/Lambda", "Errors"),
                       ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
                       ("Paperfeed", "SuccessfulPublish")}
    stale = next(a for a in alarms.values() if a["MetricName"] == "SuccessfulPublish")
    # Silence is the failure this alarm exists for: missing data must breach.
    assert stale["EvaluationPeriods"] == 3 and stale["TreatMissingData"] == "breaching"
    assert stale["ComparisonOperator"] == "LessThanThreshold" and stale["Threshold"] == 1
    # The metric the alarm watches is the one the handler emits, in the same namespace.
    handler = (ROOT / "src/paperfeed/entrypoints/lambda_handler.py").read_text()
    assert '"SuccessfulPublish"' in handler and 'namespace="Paperfeed"' in handler
    assert all(a["AlarmActions"] for a in alarms.values())
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""


def test_bedrock_is_granted_only_when_translating_and_only_on_the_model(
    resources: dict[str, Any], template: dict[str, Any]
) -> None:
    grants = [(name, r) for name, r in resources.items()
              if "bedrock" in json.dumps(r.get("Properties", {}).get("PolicyDocument", {}))]
    assert [name for name, _ in grants] == ["TranslatePolicy"]
    policy = grants[0][1]
    assert policy["Condition"] == "HasTranslation"
    assert template["Parameters"]["TranslateTo"]["Default"] == ""
    assert "TranslatePolicy" not in _Stack(template).resources()  # the default: no Bedrock
    env = resources["PaperfeedFunction"]["Properties"]["Environment"]["Variables"]
    assert {"TRANSLATE_TO", "TRANSLATE_MODEL", "TRANSLATE_MAX_PAPERS"} <= env.keys()


def _translation(template: dict[str, Any], **parameters: str) -> tuple[str, list[Any]]:
    """The model id the function calls, and the Bedrock statements it is granted."""
    stack = _Stack(template, TranslateTo="ko", **parameters)
    deployed = stack.resources()
    model = deployed[FUNCTION]["Properties"]["Environment"]["Variables"]["TRANSLATE_MODEL"]
    return model, deployed["TranslatePolicy"]["Properties"]["PolicyDocument"]["Statement"]


def test_a_foundation_model_is_granted_in_this_region_only(template: dict[str, Any]) -> None:
    model, statements = _translation(template)
    assert model == "amazon.nova-lite-v1:0"
    arn = "arn:aws:bedrock:{}::foundation-model/{}"
    assert _iam_allows(statements, "bedrock:InvokeModel", arn.format("us-east-1", model))
    assert not _iam_allows(statements, "bedrock:InvokeModel", arn.format("us-west-2", model))
    assert not _iam_allows(statements, "bedrock:InvokeModel",
                           arn.format("us-east-1", "amazon.nova-pro-v1:0"))
    profile = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." + model
    assert not _iam_allows(statements, "bedrock:InvokeModel", profile)
    assert all(s["Action"] == "bedrock:InvokeModel" for s in statements)


@pytest.mark.parametrize("geo", ["us", "eu", "apac", "global"])
def test_an_inference_profile_is_granted_with_its_model_wherever_it_routes(
    template: dict[str, Any], geo: str
) -> None:
    model, statements = _translation(template, TranslateInferenceProfile=geo)
    assert model == f"{geo}.amazon.nova-lite-v1:0"  # what the function calls
    profile = f"arn:aws:bedrock:us-east-1:111122223333:inference-profile/{model}"
    through = {"bedrock:InferenceProfileArn": profile}
    invoke = "bedrock:InvokeModel"
    assert _iam_allows(statements, invoke, profile)
    # The model, in any Region the profile routes to, and region-less for global profiles.
    for region in ("us-east-1", "us-west-2", "eu-central-1", "ap-northeast-2", ""):
        arn = f"arn:aws:bedrock:{region}::foundation-model/amazon.nova-lite-v1:0"
        assert _iam_allows(statements, invoke, arn, through), arn
        assert not _iam_allows(statements, invoke, arn), "only through the profile"
    other = profile.replace("nova-lite", "nova-pro")
    assert not _iam_allows(statements, invoke, other)
    assert not _iam_allows(statements, invoke, other.replace(
        f"us-east-1:111122223333:inference-profile/{geo}.", "us-east-1::foundation-model/"),
        {"bedrock:InferenceProfileArn": other})
    assert not _iam_allows(statements, invoke, profile.replace("us-east-1", "us-west-2"))


def test_translate_model_takes_model_ids_and_refuses_profile_ids(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    model = re.compile(params["TranslateModel"]["AllowedPattern"])
    for good in ("amazon.nova-lite-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
                 "meta.llama3-1-8b-instruct-v1:0", "moonshotai.kimi-k2.5",
                 params["TranslateModel"]["Default"]):
        assert model.fullmatch(good), good
    for bad in ("us.amazon.nova-lite-v1:0", "eu.amazon.nova-lite-v1:0",
                "apac.amazon.nova-lite-v1:0", "global.anthropic.claude-sonnet-4-20250514-v1:0",
                "us-gov.amazon.nova-lite-v1:0", "jp.amazon.nova-lite-v1:0", "nova-lite", ""):
        assert not model.fullmatch(bad), bad
    geo = re.compile(params["TranslateInferenceProfile"]["AllowedPattern"])
    assert params["TranslateInferenceProfile"]["Default"] == ""
    for good in ("", "us", "eu", "apac", "jp", "au", "ca", "us-gov", "global"):
        assert geo.fullmatch(good), good
    for bad in ("us.", "US", "us.amazon.nova-lite-v1:0", "arn:aws:bedrock"):
        assert not geo.fullmatch(bad), bad


def _headers_policy(resources: dict[str, Any]) -> dict[str, Any]:
    name, policy = _only(resources, "AWS::CloudFront::ResponseHeadersPolicy")
    _, distribution = _only(resources, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    for behavior in (config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])):
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": name}
    return policy["Properties"]["ResponseHeadersPolicyConfig"]


def _csp(policy: str) -> dict[str, list[str]]:
    directives = [d.split() for d in policy.split(";") if d.strip()]
    parsed = {d[0]: d[1:] for d in directives}
    assert len(parsed) == len(directives), f"a directive given twice: {policy}"
    return parsed


def test_headers_policy_keeps_cors_and_the_security_headers_and_adds_a_csp(
    resources: dict[str, Any]
) -> None:
    config = _headers_policy(resources)
    assert "e61eb60c-9c35-4d20-a928-2b84e02af89c" not in TEMPLATE.read_text(encoding="utf-8")
    cors = config["CorsConfig"]
    # Other sites' embed.js and JSON-feed readers fetch the feeds: any origin, no credentials.
    assert cors["AccessControlAllowOrigins"]["Items"] == ["*"]
    assert {"GET", "HEAD"} <= set(cors["AccessControlAllowMethods"]["Items"])
    assert cors["AccessControlAllowCredentials"] is False
    security = config["SecurityHeadersConfig"]
    assert security["ContentTypeOptions"] == {"Override": True}  # nosniff, always
    assert security["FrameOptions"] == {"FrameOption": "SAMEORIGIN", "Override": True}
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    csp = security["ContentSecurityPolicy"]
    assert csp["Override"] is True
    directives = _csp(csp["ContentSecurityPolicy"])
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]  # as X-Frame-Options says
    # Not inherited from default-src: each must be set to be closed.
    assert directives["base-uri"] == ["'none'"]
    # The search form submits to the search page (without JavaScript, ?q= in the address).
    assert directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"] and directives["worker-src"] == ["'self'"]
    everything = [s for sources in directives.values() for s in sources]
    assert not {"*", "'unsafe-eval'", "data:", "https:", "http:"} & set(everything)
    assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
    assert len(csp["ContentSecurityPolicy"]) <= 1783  # CloudFront's limit for the header


def test_the_preview_sends_the_deployed_policy(resources: dict[str, Any]) -> None:
    from paperfeed.entrypoints.serve import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

    security = _headers_policy(resources)["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == CONTENT_SECURITY_POLICY
    expected = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
    }
    assert expected == SECURITY_HEADERS  # all but HSTS, meaningless over http://127.0.0.1


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _allowed(url: str, base: str, origin: str, sources: list[str]) -> bool:
    """Whether `url` (relative to `base`) is one of the CSP `sources`: 'self' or a host."""
    full = urljoin(base, url)
    hosts = [s.rstrip("/") + "/" for s in sources if s.startswith("https://")]
    return ("'self'" in sources and full.startswith(origin)) or full.startswith(tuple(hosts))


def _check_loads(doc: Any, base: str, origin: str, csp: dict[str, list[str]]) -> int:
    """Whether what this rendered document loads is what `csp` lets it load; the number of
    <style> blocks checked."""
    for script in doc.xpath("//script"):
        assert script.get("src"), "an inline script: script-src has no hash for it"
        assert _allowed(script.get("src"), base, origin, csp["script-src"]), script.get("src")
    assert not [a for a in doc.xpath("//@*") if a.attrname.lower().startswith("on")]
    styles = doc.xpath("//style")
    for style in styles:
        digest = _sha256(style.text or "")
        assert digest in csp["style-src"], f"<style> not allowed; its hash is {digest}"
    if doc.xpath("//@style"):
        assert csp.get("style-src-attr") == ["'unsafe-inline'"], "style= attributes are blocked"
    for href in doc.xpath("//link[@rel='stylesheet']/@href"):
        assert _allowed(href, base, origin, csp["style-src"]), href
    for form in doc.xpath("//form"):
        action = form.get("action", "")
        assert _allowed(action, base, origin, csp["form-action"]), action
    assert not doc.xpath("//iframe | //object | //embed")
    for url in doc.xpath("//img/@src"):
        assert _allowed(url, base, origin, csp["img-src"]), url
    for url in doc.xpath("//link[contains(@rel, 'icon')]/@href"):
        assert urljoin(base, url).startswith(origin), url  # img-src 'self'
    return len(styles)


def test_the_policy_lets_the_site_load_what_it_loads(
    resources: dict[str, Any], site_30: Path
) -> None:
    import lxml.etree
    import lxml.html

    security = _headers_policy(resources)["SecurityHeadersConfig"]
    csp = _csp(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    # The site's URL, the origin the deployed pages are served from: all 'self' allows.
    origin = json.loads((site_30 / "feeds/daily.json").read_bytes())["home_page_url"]
    assert origin == SITE_URL
    page = lxml.html.document_fromstring((site_30 / "index.html").read_bytes())
    assert _check_loads(page, origin, origin, csp) == 1
    # A feed opened in a browser: feed-view.js from the site (script-src 'self'), which
    # links feed-view.css from the site (style-src 'self') and writes no inline style.
    # 'wasm-unsafe-eval' lets the search page compile Pagefind's WebAssembly, and no eval.
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert "'self'" in csp["style-src"]
    xhtml = "{http://www.w3.org/1999/xhtml}script"
    for key in ("feeds/daily.atom", "feeds/digest.rss", "feeds/topics/agents.atom"):
        feed = lxml.etree.parse(site_30 / key)
        assert not feed.xpath("//processing-instruction()"), key
        scripts = list(feed.iter(xhtml))
        assert len(scripts) == 1, key
        assert urljoin(origin + key, scripts[0].get("src")) == origin + "feed-view.js", key
    view = (site_30 / "feed-view.js").read_text(encoding="utf-8")
    assert 'href: root + "feed-view.css"' in view and (site_30 / "feed-view.css").is_file()
    assert "style" not in view.replace("stylesheet", "").replace("feed-view.css", "")
    assert not (site_30 / "feed.xsl").exists()
    # Every source the policy names is one the site uses: no hash of a style long gone.
    hashes = {s for s in csp["style-src"] if s.startswith("'sha256-")}
    used = {_sha256(s.text or "") for s in page.xpath("//style")}
    assert hashes == used
    # The archive site: a day, a month, the index, the search page (its module script and its
    # form), and a topic page, each loading only what the policy allows.
    day = min((site_30 / "days").glob("*.html")).relative_to(site_30).as_posix()
    month = min((site_30 / "months").glob("*.html")).relative_to(site_30).as_posix()
    topic = min((site_30 / "topics").glob("*.html")).relative_to(site_30).as_posix()
    for key in (day, month, "archive.html", "search.html", topic):
        doc = lxml.html.document_fromstring((site_30 / key).read_bytes())
        assert _check_loads(doc, origin + key, origin, csp) == 0, key
    search = lxml.html.document_fromstring((site_30 / "search.html").read_bytes())
    assert search.xpath("//script[@type='module']/@src") and search.xpath("//form")
    thumbnails = lxml.html.document_fromstring((site_30 / day).read_bytes()).xpath("//img/@src")
    assert thumbnails and all(_allowed(u, origin + day, origin, csp["img-src"]) for u in thumbnails)
