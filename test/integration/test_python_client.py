"""The Kubernetes API of `skiff server`, driven by Debian's python3-kubernetes client."""
import threading
import time

import pytest

kubernetes = pytest.importorskip("kubernetes", reason="needs python3-kubernetes")
from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402


@pytest.fixture
def api(server):
    return config.new_client_from_config(config_file=server.kubeconfig)


def test_core_objects_round_trip(api):
    core = client.CoreV1Api(api)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
    cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c", labels={"app": "py"}),
                            data={"k": "v"})
    created = core.create_namespaced_config_map("py", cm)
    assert created.metadata.uid and created.metadata.resource_version
    listed = core.list_namespaced_config_map("py", label_selector="app=py")
    assert [i.metadata.name for i in listed.items] == ["c"]
    core.patch_namespaced_config_map("c", "py", {"data": {"k": "w"}})
    assert core.read_namespaced_config_map("c", "py").data == {"k": "w"}
    with pytest.raises(ApiException) as e:
        core.create_namespaced_config_map("py", cm)
    assert e.value.status == 409
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("missing", "py")
    assert e.value.status == 404
    stale = created
    stale.data = {"k": "stale"}
    with pytest.raises(ApiException) as e:
        core.replace_namespaced_config_map("c", "py", stale)
    assert e.value.status == 409
    core.delete_namespaced_config_map("c", "py")
    assert core.list_namespaced_config_map("py").items == []


def test_watch_streams_events(api):
    core = client.CoreV1Api(api)
    events = []
    rv = core.list_namespaced_config_map("default").metadata.resource_version

    def run():
        w = watch.Watch()
        for e in w.stream(core.list_namespaced_config_map, "default", resource_version=rv,
                          timeout_seconds=5):
            events.append((e["type"], e["object"].metadata.name))
            if len(events) == 3:
                w.stop()

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.5)
    core.create_namespaced_config_map(
        "default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="w"), data={"a": "1"}))
    core.patch_namespaced_config_map("w", "default", {"data": {"a": "2"}})
    core.delete_namespaced_config_map("w", "default")
    t.join(timeout=15)
    assert events == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


def test_deployments_scale_and_status(api):
    apps = client.AppsV1Api(api)
    d = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="d"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "d"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "d"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c",
                                                                     image="busybox:1.36")]))))
    apps.create_namespaced_deployment("default", d)
    apps.patch_namespaced_deployment_scale("d", "default", {"spec": {"replicas": 3}})
    got = apps.read_namespaced_deployment("d", "default")
    assert got.spec.replicas == 3
    assert got.spec.template.spec.containers[0].image_pull_policy == "IfNotPresent"
    scale = apps.read_namespaced_deployment_scale("d", "default")
    assert scale.spec.replicas == 3 and scale.status.selector == "app=d"


def test_custom_objects(api):
    ext = client.ApiextensionsV1Api(api)
    ext.create_custom_resource_definition({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Cluster",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {
                                   "type": "object",
                                   "properties": {"size": {"type": "integer", "minimum": 1}}}}}]}})
    custom = client.CustomObjectsApi(api)
    custom.create_cluster_custom_object("example.com", "v1", "widgets", {
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1"}, "size": 2})
    got = custom.get_cluster_custom_object("example.com", "v1", "widgets", "w1")
    assert got["size"] == 2
    with pytest.raises(ApiException) as e:
        custom.create_cluster_custom_object("example.com", "v1", "widgets", {
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w2"},
            "size": 0})
    assert e.value.status == 422
