#!/usr/bin/env python3
"""Helpers of test/bench/controller.sh (the controller section of `make bench`). Standard library only.

  prepare KUBECONFIG_JSON TEMPLATE_JSON NAMESPACE PREFIX FROM COUNT
      creates Functions PREFIX-<FROM>..PREFIX-<FROM+COUNT-1> from TEMPLATE and, for each, a stand-in
      Knative Service of the same name with a ready revision (what OpenFunction and Knative leave
      behind); one keep-alive HTTPS connection, one request after the other. Not timed.
  running KUBECONFIG_JSON NAMESPACE PREFIX FROM COUNT TIMEOUT_S
      marks those Functions Running (OpenFunction's status.serving, one status merge patch each),
      then polls until every one of them has its HTTPRoute and status.addresses (our controller's
      work); prints the milliseconds from the first patch to the last object seen done, or exits 1
      with what is missing after TIMEOUT_S.
  copy KUBECONFIG_JSON NAMESPACE TARGET_NAMESPACE OUT
      the HTTPRoutes and Services our controller wrote in NAMESPACE, as a List that creates the same
      objects in TARGET_NAMESPACE (server-set metadata and owner references dropped, hostnames moved
      to that namespace): what
      `kubectl create -f OUT` writes for the kubectl figure.
"""

import json
import sys
import time

from apiserver_tool import connection

KNATIVE = "/apis/serving.knative.dev/v1/namespaces/{ns}/services"
FUNCTIONS = "/apis/core.openfunction.io/v1beta2/namespaces/{ns}/functions"
CREATED_BY = "app.kubernetes.io/created-by=ofn-webhook"


class Api:
    def __init__(self, kubeconfig_json):
        self.new_conn, self.headers = connection(kubeconfig_json)
        self.conn = self.new_conn()

    def call(self, method, path, body=None, content_type="application/json"):
        headers = dict(self.headers, **{"Content-Type": content_type})
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                payload = resp.read()
                return resp.status, (json.loads(payload) if payload else None)
            except (ConnectionError, OSError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = self.new_conn()

    def must(self, method, path, body=None, content_type="application/json", ok=(200, 201)):
        status, answer = self.call(method, path, body, content_type)
        if status not in ok:
            sys.exit(f"{method} {path}: {status} {json.dumps(answer)[:300]}")
        return answer


def names(prefix, start, count):
    return [f"{prefix}-{i}" for i in range(int(start), int(start) + int(count))]


def prepare(kubeconfig_json, template, namespace, prefix, start, count):
    api = Api(kubeconfig_json)
    with open(template) as f:
        function = json.load(f)
    for name in names(prefix, start, count):
        ksvc = {
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"template": {"spec": {"containers": [{"image": "openfunction/sample"}]}}},
        }
        api.must("POST", KNATIVE.format(ns=namespace), ksvc, ok=(201, 409))
        api.must(
            "PATCH",
            KNATIVE.format(ns=namespace) + f"/{name}/status",
            {"status": {"latestReadyRevisionName": f"{name}-00001",
                        "conditions": [{"type": "Ready", "status": "True"}]}},
            "application/merge-patch+json",
        )
        function["metadata"] = {"name": name, "namespace": namespace}
        api.must("POST", FUNCTIONS.format(ns=namespace), function, ok=(201, 409))


def _done(api, namespace, wanted):
    routes = api.must("GET", f"/apis/gateway.networking.k8s.io/v1beta1/namespaces/{namespace}/httproutes"
                             f"?labelSelector={CREATED_BY}")
    routed = {r["metadata"]["name"] for r in routes["items"]}
    functions = api.must("GET", FUNCTIONS.format(ns=namespace))
    addressed = {f["metadata"]["name"] for f in functions["items"] if f.get("status", {}).get("addresses")}
    return wanted - routed, wanted - addressed


def running(kubeconfig_json, namespace, prefix, start, count, timeout_s):
    api = Api(kubeconfig_json)
    wanted = set(names(prefix, start, count))
    t0 = time.perf_counter()
    for name in sorted(wanted):
        api.must(
            "PATCH",
            FUNCTIONS.format(ns=namespace) + f"/{name}/status",
            {"status": {"serving": {"service": name, "state": "Running", "resourceRef": name}}},
            "application/merge-patch+json",
        )
    deadline = t0 + float(timeout_s)
    while True:
        no_route, no_address = _done(api, namespace, wanted)
        now = time.perf_counter()
        if not no_route and not no_address:
            print(round((now - t0) * 1000))
            return
        if now > deadline:
            sys.exit(f"after {timeout_s} s: {len(no_route)} without HTTPRoute, {len(no_address)} without addresses")
        time.sleep(0.05)


def copy(kubeconfig_json, namespace, target, out):
    api = Api(kubeconfig_json)
    items = []
    for api_version, kind, path in (
            ("gateway.networking.k8s.io/v1beta1", "HTTPRoute",
             f"/apis/gateway.networking.k8s.io/v1beta1/namespaces/{namespace}/httproutes"),
            ("v1", "Service", f"/api/v1/namespaces/{namespace}/services")):
        for item in api.must("GET", f"{path}?labelSelector={CREATED_BY}")["items"]:
            item["apiVersion"], item["kind"] = api_version, kind  # a list's items carry neither
            meta = item["metadata"]
            item["metadata"] = {"name": meta["name"], "namespace": target,
                                "labels": meta.get("labels", {}), "annotations": meta.get("annotations", {})}
            item.pop("status", None)
            for key in ("clusterIP", "clusterIPs"):
                item.get("spec", {}).pop(key, None)
            items.append(item)
    # The hostnames name the namespace ({{.Name}}.{{.Namespace}}.{{.Domain}}): moved with it, or our
    # validating webhook would refuse every copy as shadowed by the original.
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    with open(out, "w") as f:
        f.write(text.replace(f".{namespace}.", f".{target}."))
    print(len(items))


if __name__ == "__main__":
    commands = {"prepare": prepare, "running": running, "copy": copy}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
