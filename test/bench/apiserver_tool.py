#!/usr/bin/env python3
"""Helpers of test/bench/apiserver.sh (the real-apiserver section of `make bench`). Standard library only.

  creates KUBECONFIG_JSON TEMPLATE_JSON NAMESPACE PREFIX COUNT OUT [dry-run]
      POSTs COUNT Functions (TEMPLATE with metadata.name PREFIX-<i>) one after another over one
      keep-alive HTTPS connection, as `kubectl create -f` of a multi-document file does, and
      writes one line per request to OUT: "<milliseconds> <HTTP status> <Warning headers>". The time is the whole
      round trip of that create, measured on the client (perf_counter). KUBECONFIG_JSON is
      `kubectl config view --raw --minify -o json`.
  pct FILE...                       p50, p90, p99, max and count of the 201s in the OUT files, the
                                    number of failed creates and of Warning headers
  server-hist ENDPOINT[,ENDPOINT...] BEFORE AFTER [BEFORE AFTER...]
      p50 (linear inside the bucket, as histogram_quantile) of ofn_webhook_request_duration_seconds
      between pairs of scrapes of our /metrics, over the given endpoints; and the number of calls
  calls BEFORE AFTER ENDPOINT       ofn_webhook_requests_total of one endpoint between two scrapes
  webhooks BEFORE AFTER             the apiserver's apiserver_admission_webhook_admission_duration_seconds
      between two scrapes: one line per webhook and type: name type count mean_ms share<=5ms
  interleave KUBECONFIG_JSON TEMPLATE_JSON PREFIX COUNT OUT NAMESPACE:LABEL...
      as creates, COUNT per namespace, round-robin over the namespaces (so that every mode sees the
      same moments of a noisy machine); the times of LABEL go to OUT<LABEL>.txt
  registration IN_JSON OUT_JSON NAME NAMESPACE [URL_BASE]
      a webhook configuration as read back from the apiserver, made creatable again under NAME,
      only its Function webhooks, and only for NAMESPACE (a namespaceSelector term more); with
      URL_BASE, its webhooks renamed NAME-<name> and pointed at URL_BASE<path>
"""

import base64
import http.client
import json
import math
import os
import re
import ssl
import sys
import tempfile
import time
from urllib.parse import urlparse


def _file_of(entry, key, tmp):
    if entry.get(key):
        return entry[key]
    data = entry.get(key + "-data")
    if not data:
        return None
    path = os.path.join(tmp, key.replace("-", "_"))
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    return path


def connection(kubeconfig_json):
    with open(kubeconfig_json) as f:
        cfg = json.load(f)
    cluster = cfg["clusters"][0]["cluster"]
    user = cfg["users"][0]["user"]
    tmp = tempfile.mkdtemp(prefix="ofn-bench-kc.")
    ctx = ssl.create_default_context(cafile=_file_of(cluster, "certificate-authority", tmp))
    cert = _file_of(user, "client-certificate", tmp)
    if cert:
        ctx.load_cert_chain(cert, _file_of(user, "client-key", tmp))
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if user.get("token"):
        headers["Authorization"] = "Bearer " + user["token"]
    url = urlparse(cluster["server"])
    return (lambda: http.client.HTTPSConnection(url.hostname, url.port or 443, context=ctx, timeout=60)), headers


def creates(kubeconfig_json, template, namespace, prefix, count, out, dry_run=False):
    interleave(kubeconfig_json, template, prefix, count, out, f"{namespace}:", dry_run=dry_run)


def interleave(kubeconfig_json, template, prefix, count, out, *targets, dry_run=False):
    """COUNT creates per target (NAMESPACE:LABEL), round-robin; times to OUT + LABEL + ".txt"."""
    new_conn, headers = connection(kubeconfig_json)
    with open(template) as f:
        obj = json.load(f)
    targets = [t.split(":", 1) for t in targets]
    conn = new_conn()
    lines = {label: [] for _, label in targets}
    for i in range(int(count)):
        for namespace, label in targets:
            obj["metadata"] = {"name": f"{prefix}-{i}", "namespace": namespace}
            path = f"/apis/core.openfunction.io/v1beta2/namespaces/{namespace}/functions"
            if dry_run:
                path += "?dryRun=All"
            body = json.dumps(obj).encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                warnings = len(resp.headers.get_all("Warning") or [])
            except (OSError, http.client.HTTPException) as e:
                status, data, warnings = 0, str(e).encode(), 0
                conn.close()
                conn = new_conn()
            ms = (time.perf_counter() - t0) * 1000
            lines[label].append(f"{ms:.3f} {status} {warnings}")
            if status not in (200, 201):
                sys.stderr.write(f"create {namespace}/{obj['metadata']['name']}: {status} {data[:300]!r}\n")
    conn.close()
    for label, got in lines.items():
        with open(out + label + ("" if label == "" else ".txt"), "w") as f:
            f.write("\n".join(got) + "\n")


def _nearest_rank(values, p):
    return values[max(0, math.ceil(p * len(values)) - 1)]


def pct(*files):
    ok, failed, warnings = [], 0, 0
    for name in files:
        with open(name) as f:
            for line in f:
                ms, status, warned = line.split()
                warnings += int(warned)
                if status in ("200", "201"):
                    ok.append(float(ms))
                else:
                    failed += 1
    ok.sort()
    if not ok:
        print("n/a n/a n/a n/a 0 %d %d" % (failed, warnings))
        return
    print("%.2f %.2f %.2f %.2f %d %d %d" % (
        _nearest_rank(ok, 0.5), _nearest_rank(ok, 0.9), _nearest_rank(ok, 0.99), ok[-1], len(ok), failed,
        warnings))


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(path):
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            m = SAMPLE.match(line)
            if not m:
                continue
            labels = tuple(sorted(LABEL.findall(m.group(2) or "")))
            try:
                out[(m.group(1), labels)] = float(m.group(3))
            except ValueError:
                pass
    return out


def _delta(before, after):
    b = samples(before)
    return {k: v - b.get(k, 0.0) for k, v in samples(after).items()}


def server_hist(endpoints, *pairs):
    endpoints = endpoints.split(",")
    buckets = {}
    for i in range(0, len(pairs), 2):
        _add_buckets(buckets, _delta(pairs[i], pairs[i + 1]), endpoints)
    _p50(buckets)


def _add_buckets(buckets, d, endpoints):
    for (name, labels), v in d.items():
        lab = dict(labels)
        if name == "ofn_webhook_request_duration_seconds_bucket" and lab.get("endpoint") in endpoints:
            le = math.inf if lab["le"] == "+Inf" else float(lab["le"])
            buckets[le] = buckets.get(le, 0.0) + v


def _p50(buckets):
    bounds = sorted(buckets)
    total = buckets.get(math.inf, 0.0)
    if total <= 0:
        print("n/a 0")
        return
    rank, prev_le, prev_n = total * 0.5, 0.0, 0.0
    for le in bounds:
        n = buckets[le]
        if n >= rank:
            if le == math.inf:
                value = prev_le
            else:
                value = prev_le + (le - prev_le) * (rank - prev_n) / max(n - prev_n, 1e-9)
            print("%.3f %d" % (value * 1000, total))
            return
        prev_le, prev_n = le, n


def calls(before, after, endpoint):
    d = _delta(before, after)
    print("%d" % sum(v for (name, labels), v in d.items()
                     if name == "ofn_webhook_requests_total" and dict(labels).get("endpoint") == endpoint))


def webhooks(before, after):
    d = _delta(before, after)
    rows = {}
    for (name, labels), v in d.items():
        if not name.startswith("apiserver_admission_webhook_admission_duration_seconds"):
            continue
        lab = dict(labels)
        key = (lab.get("name", "?"), lab.get("type", "?"))
        row = rows.setdefault(key, {"count": 0.0, "sum": 0.0, "le5": 0.0})
        if name.endswith("_count"):
            row["count"] += v
        elif name.endswith("_sum"):
            row["sum"] += v
        elif name.endswith("_bucket") and lab.get("le") == "0.005":
            row["le5"] += v
    for (name, typ), row in sorted(rows.items()):
        if row["count"] > 0:
            print("%s %s %d %.2f %.2f" % (name, typ, row["count"], row["sum"] * 1000 / row["count"],
                                          row["le5"] / row["count"]))


def registration(src, dst, name, namespace, url_base=None):
    with open(src) as f:
        cfg = json.load(f)
    meta = cfg["metadata"]
    cfg["metadata"] = {"name": name}
    if meta.get("labels"):
        cfg["metadata"]["labels"] = meta["labels"]
    kept = []
    for hook in cfg["webhooks"]:
        if any("functions" in rule.get("resources", []) for rule in hook.get("rules", [])):
            if url_base:
                path = urlparse(hook["clientConfig"]["url"]).path
                hook["clientConfig"]["url"] = url_base + path
                hook["name"] = name + "-" + hook["name"]
            selector = hook.setdefault("namespaceSelector", {})
            selector.setdefault("matchExpressions", []).append(
                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": [namespace]})
            kept.append(hook)
    cfg["webhooks"] = kept
    with open(dst, "w") as f:
        json.dump(cfg, f)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "creates":
        creates(*args[:6], dry_run=len(args) > 6 and args[6] == "dry-run")
    elif cmd == "interleave":
        interleave(*args)
    elif cmd == "pct":
        pct(*args)
    elif cmd == "server-hist":
        server_hist(*args)
    elif cmd == "calls":
        calls(*args)
    elif cmd == "webhooks":
        webhooks(*args)
    elif cmd == "registration":
        registration(*args)
    else:
        sys.exit(__doc__)
