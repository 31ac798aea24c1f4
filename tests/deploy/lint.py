#!/usr/bin/env python3
"""Lints deploy/: the Kubernetes manifest, the Prometheus scrape configuration and the
Grafana dashboard parse, and agree with one another (no Kubernetes or Docker here).

  lint.py DEPLOY_DIR                 structure checks; prints "deploy: OK ..."
  lint.py DEPLOY_DIR --scripts OUT   also writes the ConfigMap's scripts into OUT/ (for
                                     scry --verify-only, tests/e2e/export.test)
"""

import argparse
import json
import os
import re
import sys

import yaml


def fail(message):
    sys.exit(f"deploy: FAIL: {message}")


def load_manifest(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    kinds = {d["kind"]: d for d in docs}
    for kind in ("Namespace", "ConfigMap", "DaemonSet"):
        if kind not in kinds:
            fail(f"{path}: no {kind}")
    return kinds


def check_daemonset(ds, scripts):
    spec = ds["spec"]["template"]["spec"]
    if not spec.get("hostPID"):
        fail("the DaemonSet must use the host's PID namespace")
    tools = {}
    for c in spec["containers"]:
        args = c["args"]
        if not c.get("securityContext", {}).get("privileged"):
            fail(f"container {c['name']} is not privileged")
        export = args[args.index("--export") + 1]
        port = int(export.rsplit(":", 1)[1])
        if "0.0.0.0" in export and "--export-allow-remote" not in args:
            fail(f"container {c['name']} listens on 0.0.0.0 without --export-allow-remote")
        names = [p["name"] for p in c["ports"] if p["containerPort"] == port]
        if not names:
            fail(f"container {c['name']} exports on {port} but declares no such port")
        script = os.path.basename(args[-1])
        if script not in scripts:
            fail(f"container {c['name']} runs {script}, which the ConfigMap lacks")
        mounts = {m["mountPath"] for m in c["volumeMounts"]}
        for needed in ("/scripts", "/sys/kernel/btf", "/sys/kernel/tracing"):
            if needed not in mounts:
                fail(f"container {c['name']} does not mount {needed}")
        tools[names[0]] = script
    return tools


def check_prometheus(path, tools):
    config = yaml.safe_load(open(path))
    job = config["scrape_configs"][0]
    keep = [r for r in job["relabel_configs"]
            if r.get("action") == "keep" and r["source_labels"] == ["__meta_kubernetes_pod_container_port_name"]]
    if not keep or set(keep[0]["regex"].split("|")) != set(tools):
        fail(f"{path}: the port-name filter does not match the DaemonSet's ports {sorted(tools)}")
    if config["global"]["scrape_interval"] is None:
        fail(f"{path}: no scrape interval")


def check_dashboard(path, tools, metrics):
    dash = json.load(open(path))
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    if not exprs:
        fail(f"{path}: no panel queries")
    for expr in exprs:
        for tool in re.findall(r'tool="([^"]+)"', expr):
            if tool not in tools:
                fail(f"{path}: query names tool {tool}, which no container serves")
        for metric in re.findall(r"\bscry_[a-z_]+", expr):
            if metric not in metrics:
                fail(f"{path}: query uses {metric}, which the scripts do not export")
    if not any("histogram_quantile" in e for e in exprs):
        fail(f"{path}: no histogram quantile panel")
    return len(exprs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("deploy")
    ap.add_argument("--scripts")
    args = ap.parse_args()
    kinds = load_manifest(os.path.join(args.deploy, "daemonset.yaml"))
    scripts = kinds["ConfigMap"]["data"]
    tools = check_daemonset(kinds["DaemonSet"], scripts)
    # Histogram maps of the scripts: @name = hist(...) or @name[...] = hist(...).
    metrics = set()
    for text in scripts.values():
        for name in re.findall(r"@(\w+)(?:\[[^\]]*\])?\s*=\s*l?hist\(", text):
            metrics |= {f"scry_{name}_bucket", f"scry_{name}_sum", f"scry_{name}_count"}
    check_prometheus(os.path.join(args.deploy, "prometheus.yml"), tools)
    queries = check_dashboard(os.path.join(args.deploy, "grafana-dashboard.json"), tools, metrics)
    if args.scripts:
        os.makedirs(args.scripts, exist_ok=True)
        for name, text in scripts.items():
            with open(os.path.join(args.scripts, name), "w") as f:
                f.write(text)
    print(f"deploy: OK {len(tools)} tools, {len(scripts)} scripts, {queries} dashboard queries")


if __name__ == "__main__":
    main()
