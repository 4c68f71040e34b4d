# The official Python client against Konductor: optimistic concurrency (20 writers on one
# counter, retrying on 409), a watch replaying from a resourceVersion, and a 422 for a bad name.
import sys, threading
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
config.load_kube_config()
v1 = client.CoreV1Api()
ns = sys.argv[1]
v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="counter"), data={"n": "0"}))
conflicts = [0]
def worker():
    api = client.CoreV1Api()
    for _ in range(10):
        while True:
            cm = api.read_namespaced_config_map("counter", ns)
            cm.data["n"] = str(int(cm.data["n"]) + 1)
            try:
                api.replace_namespaced_config_map("counter", ns, cm)
                break
            except ApiException as e:
                if e.status != 409:
                    raise
                conflicts[0] += 1
threads = [threading.Thread(target=worker) for _ in range(20)]
[t.start() for t in threads]; [t.join() for t in threads]
n = v1.read_namespaced_config_map("counter", ns).data["n"]
print("counter", n, "conflicts", conflicts[0])
rv = v1.list_namespaced_config_map(ns).metadata.resource_version
w = watch.Watch()  # a watch from an older resourceVersion replays what happened since
v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched")))
for ev in w.stream(v1.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=5):
    print("event", ev["type"], ev["object"].metadata.name)
    if ev["object"].metadata.name == "watched":
        w.stop()
try:
    v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="Bad_Name")))
except ApiException as e:
    print("invalid", e.status, e.reason)
