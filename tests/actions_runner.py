"""A small stand-in for a GitHub Actions runner, enough to run paperfeed's action and its
example workflows on this machine.

It runs every `run:` step as the runner does: one script file per step under `bash
--noprofile --norc -eo pipefail`, in the workspace, with the env merged from the workflow,
the job and the step, `GITHUB_OUTPUT` / `GITHUB_ENV` / `GITHUB_PATH` files read back after
each step, `${{ }}` expressions evaluated in `env:`, `with:` and `if:`. `uses:` of
paperfeed's own action expands its composite steps (inputs, outputs, GITHUB_ACTION_PATH);
the third-party actions are stood in for by what they do that matters here:
actions/checkout clones `repository_url`, setup-python and cache do nothing (this machine has
the Python and uv's cache), upload-pages-artifact records the folder it would upload.
Anything else is an error, so a new step cannot pass unseen.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_FAKED = ("actions/setup-python@", "actions/cache@", "aws-actions/configure-aws-credentials@")


class StepFailed(AssertionError):
    pass


@dataclass
class Runner:
    workspace: Path
    temp: Path
    action_path: Path  # where `paperfeed/paperfeed@v1` resolves (this repository)
    repository_url: str  # what actions/checkout clones
    env: dict[str, str]  # the machine's environment (PATH, HOME, ...)
    github: dict[str, Any] = field(default_factory=dict)
    uploaded: list[Path] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    # --- expressions -----------------------------------------------------------------------
    def _value(self, expr: str, ctx: dict[str, Any]) -> Any:
        expr = expr.strip()
        for op in ("||", "&&"):
            if op in expr:
                parts = [self._value(p, ctx) for p in expr.split(op)]
                if op == "||":
                    return next((p for p in parts if p), parts[-1])
                return parts[-1] if all(parts) else next(p for p in parts if not p)
        for op in ("!=", "=="):
            if op in expr:
                left, right = (self._value(p, ctx) for p in expr.split(op, 1))
                return (left != right) if op == "!=" else (left == right)
        if expr.startswith("'") and expr.endswith("'"):
            return expr[1:-1]
        value: Any = ctx
        for part in expr.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return value

    def expand(self, text: Any, ctx: dict[str, Any]) -> str:
        return _EXPR.sub(lambda m: str(self._value(m[1], ctx)), str(text))

    def condition(self, step: dict[str, Any], ctx: dict[str, Any]) -> bool:
        if "if" not in step:
            return True
        text = str(step["if"])
        return bool(self._value(_EXPR.sub(lambda m: m[1], text), ctx))

    # --- steps -----------------------------------------------------------------------------
    def run_workflow(self, path: Path, job: str | None = None) -> dict[str, Any]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        ctx: dict[str, Any] = {"github": self.github, "runner": {"temp": str(self.temp),
                                                              "os": "Linux"}, "env": {}}
        ctx["env"] = {k: self.expand(v, ctx) for k, v in (doc.get("env") or {}).items()}
        results = {}
        for name, spec in doc["jobs"].items():
            if job is not None and name != job:
                continue
            job_ctx = {**ctx, "steps": {}, "env": dict(ctx["env"])}
            job_ctx["env"].update({k: self.expand(v, job_ctx)
                                   for k, v in (spec.get("env") or {}).items()})
            self.run_steps(spec["steps"], job_ctx)
            results[name] = job_ctx
        return results

    def run_steps(self, steps: list[dict[str, Any]], ctx: dict[str, Any],
                  action_path: Path | None = None) -> None:
        for step in steps:
            if not self.condition(step, ctx):
                self.log.append(f"skipped: {step.get('name')}")
                continue
            self.log.append(f"step: {step.get('name')}")
            outputs = (self._run(step, ctx, action_path) if "run" in step
                       else self._uses(step, ctx))
            if "id" in step:
                ctx["steps"][step["id"]] = {"outputs": outputs}

    def _run(self, step: dict[str, Any], ctx: dict[str, Any],
             action_path: Path | None) -> dict[str, str]:
        step_env = {k: self.expand(v, ctx) for k, v in (step.get("env") or {}).items()}
        files = {name: self.temp / f"{name.lower()}-{len(self.log)}"
                 for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
        for f in files.values():
            f.write_text("")
        env = {**self.env, **ctx["env"], **step_env, **{k: str(v) for k, v in files.items()},
               "GITHUB_WORKSPACE": str(self.workspace), "RUNNER_TEMP": str(self.temp),
               "GITHUB_ACTIONS": "true", "CI": "true"}
        if action_path is not None:
            env["GITHUB_ACTION_PATH"] = str(action_path)
        script = self.temp / f"step-{len(self.log)}.sh"
        script.write_text(self.expand(step["run"], ctx))
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=self.workspace, env=env, capture_output=True, text=True,
                              timeout=600)
        self.log.append(done.stdout + done.stderr)
        if done.returncode != 0:
            raise StepFailed(f"{step.get('name')}: exit {done.returncode}\n{done.stdout}\n"
                             f"{done.stderr}")
        for line in files["GITHUB_ENV"].read_text().splitlines():
            key, _, value = line.partition("=")
            ctx["env"][key] = value
        assert not files["GITHUB_PATH"].read_text(), "a step wrote GITHUB_PATH"
        return dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines()
                    if "=" in line)

    def _uses(self, step: dict[str, Any], ctx: dict[str, Any]) -> dict[str, str]:
        uses = step["uses"]
        with_ = {k: self.expand(v, ctx) for k, v in (step.get("with") or {}).items()}
        if uses.startswith("paperfeed/paperfeed@") or uses == "./":
            return self._action(with_, ctx)
        if uses.startswith(_FAKED):
            return {}
        if uses.startswith("actions/checkout@"):
            subprocess.run(["git", "clone", "--quiet", self.repository_url, "."],
                           cwd=self.workspace, check=True, capture_output=True)
            return {}
        if uses.startswith("actions/upload-pages-artifact@"):
            self.uploaded.append(Path(with_["path"]))
            return {}
        raise StepFailed(f"this runner does not know {uses}")

    def _action(self, with_: dict[str, str], ctx: dict[str, Any]) -> dict[str, str]:
        doc = yaml.safe_load((self.action_path / "action.yml").read_text(encoding="utf-8"))
        inputs = {}
        for name, spec in doc["inputs"].items():
            if name in with_:
                inputs[name] = with_[name]
            elif spec.get("required"):
                raise StepFailed(f"action input {name} is required")
            else:
                inputs[name] = str(spec.get("default", ""))
        unknown = set(with_) - set(doc["inputs"])
        if unknown:
            raise StepFailed(f"the action has no input {sorted(unknown)}")
        inner = {**ctx, "inputs": inputs, "steps": {}}
        self.run_steps(doc["runs"]["steps"], inner, action_path=self.action_path)
        return {name: self.expand(spec["value"], inner) for name, spec in doc["outputs"].items()}
