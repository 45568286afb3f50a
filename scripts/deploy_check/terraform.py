"""The Terraform configurations as HashiCorp's parser reads them (Terraform's JSON syntax)."""

import json
import re
import subprocess
from pathlib import Path

from .policy import SNAKE, normalize
from .report import check
from .shared import DEPLOY, FRONT_DOOR_BINARY, FRONT_DOOR_SOURCE, FUNCTION_BINARY, POLICIES, ROOT


def parse_with_hcl2json(prefix: Path, dirs, out: Path):
    """Every `.tf` file of `dirs`, parsed by HashiCorp's parser (`hcl2json.mjs`, @cdktf/hcl2json as
    installed under the npm prefix `prefix`), by directory and file."""
    script = Path(__file__).with_name("hcl2json.mjs")
    subprocess.run(["node", str(script), str(prefix), str(DEPLOY), str(out), *dirs], check=True)
    return json.loads(out.read_text())


def strings(value):
    """Every string inside `value`."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


class Terraform:
    """HashiCorp's parser's output for one directory, in Terraform's JSON syntax, merged over its files."""

    def __init__(self, name, files, directory=None):
        import hcl2

        self.name = name
        self.dir = directory or DEPLOY / name
        self.files = files
        self.resources, self.data, self.variables, self.outputs, self.locals = {}, {}, {}, {}, {}
        for tf in sorted(self.dir.glob("*.tf")):
            with tf.open() as f:
                hcl2.load(f)  # raises on a syntax error
            print(f"python-hcl2 parsed {name}/{tf.name}")
        for doc in self.files.values():
            for kind, by_name in doc.get("resource", {}).items():
                for rname, blocks in by_name.items():
                    check((kind, rname) not in self.resources, f"{name}: resource {kind}.{rname} is declared twice")
                    self.resources[(kind, rname)] = blocks[0]
            for kind, by_name in doc.get("data", {}).items():
                for dname, blocks in by_name.items():
                    self.data[(kind, dname)] = blocks[0]
            for vname, blocks in doc.get("variable", {}).items():
                self.variables[vname] = blocks[0]
            for oname, blocks in doc.get("output", {}).items():
                self.outputs[oname] = blocks[0]
            for block in doc.get("locals", []):
                for lname, value in block.items():
                    check(lname not in self.locals, f"{name}: local value {lname} is declared twice")
                    self.locals[lname] = value

    def resource(self, kind, rname):
        found = self.resources.get((kind, rname))
        check(found is not None, f"{self.name}: missing resource {kind}.{rname}")
        return found or {}

    def expect(self, block, attribute, value, where):
        check(
            block.get(attribute) == value,
            f"{self.name}: {where}.{attribute} is {block.get(attribute)!r}, expected {value!r}",
        )

    def check_function(self, binaries):
        """The function: runtime, handler, architecture, and the package of the binary of each mode."""
        function = self.resource("aws_lambda_function", "api")
        self.expect(function, "runtime", "provided.al2023", "aws_lambda_function.api")
        self.expect(function, "handler", "bootstrap", "aws_lambda_function.api")
        self.expect(function, "architectures", ["${var.architecture}"], "aws_lambda_function.api")
        check(
            self.variables.get("architecture", {}).get("default") == "arm64",
            f"{self.name}: variable architecture must default to arm64 (cargo lambda build --arm64)",
        )
        for binary in binaries:
            check(
                (ROOT / "examples" / "src" / "bin" / f"{binary}.rs").is_file(),
                f"{self.name}: there is no examples/src/bin/{binary}.rs to build the {binary} binary from",
            )
        if binaries == [FUNCTION_BINARY]:
            self.expect(function, "filename", "${var.lambda_zip}", "aws_lambda_function.api")
            check(
                f"target/lambda/{FUNCTION_BINARY}/bootstrap.zip"
                in str(self.variables.get("lambda_zip", {}).get("default", "")),
                f"{self.name}: variable lambda_zip must default to cargo lambda's "
                f"target/lambda/{FUNCTION_BINARY}/bootstrap.zip",
            )
            return
        # The front-door modes: the function binary writes the CORS headers, the front-door one writes none.
        self.expect(function, "filename", "${local.lambda_zip}", "aws_lambda_function.api")
        self.expect(function, "source_code_hash", "${filebase64sha256(local.lambda_zip)}", "aws_lambda_function.api")
        switched = f'${{var.cors_by_front_door ? "{FRONT_DOOR_BINARY}" : "{FUNCTION_BINARY}"}}'
        check(
            self.locals.get("function_binary") == switched,
            f"{self.name}: local.function_binary must be {switched}, is {self.locals.get('function_binary')!r}",
        )
        check(
            self.locals.get("lambda_zip")
            == '${coalesce(var.lambda_zip, "../../../target/lambda/${local.function_binary}/bootstrap.zip")}',
            f"{self.name}: local.lambda_zip must default to target/lambda/<local.function_binary>/bootstrap.zip, "
            f"is {self.locals.get('lambda_zip')!r}",
        )
        lambda_zip = self.variables.get("lambda_zip", {})
        check(
            "default" in lambda_zip and lambda_zip["default"] is None,
            f"{self.name}: variable lambda_zip must default to null (the package of the mode's binary)",
        )

    def check_references(self):
        """Every reference resolves (what `terraform validate` would say first)."""
        everything = (
            list(self.resources.values())
            + list(self.data.values())
            + list(self.outputs.values())
            + list(self.locals.values())
        )
        for text in (s for block in everything for s in strings(block)):
            expressions = re.findall(r"\$\{([^}]*)\}", text) or ([text] if re.fullmatch(r"[a-z_.]+", text) else [])
            for expression in expressions:
                for kind, rname in re.findall(r"(?<![\w.])(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
                    if not re.search(rf"data\.{kind}\.{rname}", expression):
                        check(
                            (kind, rname) in self.resources,
                            f"{self.name}: reference to undeclared resource {kind}.{rname}",
                        )
                for kind, dname in re.findall(r"(?<![\w.])data\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
                    check(
                        (kind, dname) in self.data,
                        f"{self.name}: reference to undeclared data source {kind}.{dname}",
                    )
                for vname in re.findall(r"(?<![\w.])var\.([a-z0-9_]+)", expression):
                    check(vname in self.variables, f"{self.name}: reference to undeclared variable {vname}")
                for lname in re.findall(r"(?<![\w.])local\.([a-z0-9_]+)", expression):
                    check(lname in self.locals, f"{self.name}: reference to undeclared local value {lname}")


def terraform_cors(tf, block, for_each_attribute_name):
    """cors.tf's local.cors, checked to be the generated file, and its use by main.tf's dynamic block."""
    where = f"{tf.name}/cors.tf"
    text = (tf.dir / "cors.tf").read_text()
    header = text.split("\n")[:3]
    prefix = f"# {POLICIES}: FRONT_DOOR_CORS = "
    check(
        header[0] == "# Generated by cors-deploy from the CORS configuration of"
        and header[1].startswith(prefix + "cors_config!(")
        and header[2].startswith("# DO NOT EDIT."),
        f'{where}: must start with the generated header ("# Generated by cors-deploy from ...", '
        f'then "{prefix}cors_config!(...)")',
    )

    # The policy named in the header is the one the policies' source defines, and it lets the front door answer.
    def squeeze(text):
        return re.sub(r"\s+", "", text)

    definition = squeeze(header[1].removeprefix(prefix))
    policies = squeeze((ROOT / POLICIES).read_text())
    check(
        f"pubstaticFRONT_DOOR_CORS:CorsConfig={definition};" in policies,
        f"{where}: the header's policy {header[1].removeprefix(prefix)!r} is not FRONT_DOOR_CORS in {POLICIES}",
    )
    check("front_door=true" in definition, f"{where}: the front door's policy must have front_door = true")
    check(
        "config=cors_examples::cors::FRONT_DOOR_CORS" in squeeze((ROOT / FRONT_DOOR_SOURCE).read_text()),
        f"{where}: the {FRONT_DOOR_BINARY} binary must serve FRONT_DOOR_CORS",
    )
    doc = tf.files.get("cors.tf", {})
    check(
        set(doc) == {"locals"} and len(doc["locals"]) == 1 and set(doc["locals"][0]) == {"cors"},
        f"{where}: must hold exactly one `locals {{ cors = {{...}} }}` and nothing else",
    )
    cors = tf.locals.get("cors", {})
    if not check(
        isinstance(cors, dict) and set(cors) == set(SNAKE), f"{where}: local.cors must have exactly the keys {SNAKE}"
    ):
        return {}
    for key in SNAKE[:4]:
        check(
            isinstance(cors[key], list) and all(isinstance(v, str) for v in cors[key]),
            f"{where}: local.cors.{key} must be a list of strings ([] when empty)",
        )
    check(isinstance(cors["allow_credentials"], bool), f"{where}: local.cors.allow_credentials must be true or false")
    check(
        cors["max_age"] is None or isinstance(cors["max_age"], int),
        f"{where}: local.cors.max_age must be a number or null",
    )
    # main.tf: the block exists only when the front door answers, and takes every key from local.cors.
    dynamic = block.get("dynamic", {}).get(for_each_attribute_name, [{}])[0]
    check(
        dynamic.get("for_each") == "${var.cors_by_front_door ? [local.cors] : []}",
        f'{tf.name}: dynamic "{for_each_attribute_name}" must have '
        "for_each = var.cors_by_front_door ? [local.cors] : []",
    )
    content = (dynamic.get("content") or [{}])[0]
    check(
        content == {k: f"${{{for_each_attribute_name}.value.{k}}}" for k in SNAKE},
        f'{tf.name}: dynamic "{for_each_attribute_name}" must set each of {SNAKE} from {for_each_attribute_name}.value',
    )
    check(
        not any(k == for_each_attribute_name for k in block),
        f"{tf.name}: a static {for_each_attribute_name} block too",
    )
    variable = tf.variables.get("cors_by_front_door", {})
    check(
        variable.get("type") == "${bool}" and variable.get("default") is False,
        f"{tf.name}: variable cors_by_front_door must be a bool defaulting to false (the function answers)",
    )
    return normalize(cors, SNAKE)
