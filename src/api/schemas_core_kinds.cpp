// Schema text of the core/v1 kinds and their specs and statuses (pods' types are in
// schemas_core.cpp, storage in schemas_core_volumes.cpp). The format is described in
// builtin_schemas.cpp.
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kCoreKinds;
const std::string_view kCoreKinds = R"schema(
package core.v1

Pod kind ; A group of containers that run together on one node, sharing network and volumes.
  spec: PodSpec ; The desired state of the pod.
  status: PodStatus ; The observed state of the pod, reported by the kubelet.

PodTemplate kind ; A stored pod template.
  template: PodTemplateSpec ; The pods this template describes.

Binding kind ; Binds a pod to a node; posted to a pod's binding subresource by schedulers.
  target!: ObjectReference ; The node to bind to.

PodExecOptions kind ; The query of a pod's exec subresource.
  stdin: bool ; Whether to stream stdin to the command.
  stdout: bool ; Whether to stream the command's stdout.
  stderr: bool ; Whether to stream the command's stderr.
  tty: bool ; Whether the command gets a TTY.
  container: string ; The container to run in; may be omitted for a pod with one container.
  command!: []string list=atomic ; The command and its arguments.

PodAttachOptions kind ; The query of a pod's attach subresource.
  stdin: bool ; Whether to stream stdin to the container.
  stdout: bool ; Whether to stream the container's stdout.
  stderr: bool ; Whether to stream the container's stderr.
  tty: bool ; Whether the container's stdin is a TTY.
  container: string ; The container to attach to; may be omitted for a pod with one container.

PodPortForwardOptions kind ; The query of a pod's portforward subresource.
  ports: []int32 list=atomic ; The pod ports to forward.

Namespace kind ; A scope for names, policies and quotas.
  spec: NamespaceSpec ; The desired state of the namespace.
  status: NamespaceStatus default={"phase":"Active"} ; The observed state of the namespace.

NamespaceSpec ; The desired state of a namespace.
  finalizers: []string list=atomic ; Keys that must be removed before the namespace is deleted.

NamespaceStatus ; The observed state of a namespace.
  phase: string enum=Active|Terminating default="Active" ; Whether the namespace is in use or being deleted.
  conditions: []NamespaceCondition merge=type list=map keys=type ; The namespace's current conditions.

NamespaceCondition ; One aspect of a namespace's state.
  type!: string ; The aspect, e.g. NamespaceDeletionContentFailure.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

Service kind ; A stable name and virtual IP for a set of pods, or an alias of an external name.
  spec: ServiceSpec ; The desired state of the service.
  status: ServiceStatus ; The observed state of the service.

ServiceSpec ; The desired state of a service.
  ports: []ServicePort merge=port list=map keys=port,protocol ; The ports the service exposes.
  selector: {}string maptype=atomic ; Labels of the pods that back the service; without one, endpoints are managed by hand.
  clusterIP: string ; The virtual IP; allocated when unset, None for a headless service.
  clusterIPs: []string list=atomic ; The virtual IPs, at most one per family; the first equals clusterIP.
  type: string enum=ClusterIP|NodePort|LoadBalancer|ExternalName default="ClusterIP" ; How the service is exposed.
  externalIPs: []string list=atomic ; Further IPs the node proxies accept traffic for.
  sessionAffinity: string enum=ClientIP|None default="None" ; Whether a client keeps reaching the same pod.
  loadBalancerIP: string ; Deprecated: the IP a load balancer should use.
  loadBalancerSourceRanges: []string list=atomic ; Client CIDRs a load balancer admits.
  externalName: string ; For ExternalName: the DNS name the service's name is an alias of.
  externalTrafficPolicy: string enum=Cluster|Local ; Whether external traffic may go to pods on other nodes.
  healthCheckNodePort: int32 ; The node port of the health check for a Local LoadBalancer service.
  publishNotReadyAddresses: bool ; Whether pods that are not ready get DNS records and endpoints.
  sessionAffinityConfig: SessionAffinityConfig ; Settings of the session affinity.
  ipFamilies: []string enum=IPv4|IPv6 list=atomic ; The IP families of the service, in order.
  ipFamilyPolicy: string enum=SingleStack|PreferDualStack|RequireDualStack ; How many IP families the service gets.
  allocateLoadBalancerNodePorts: bool ; Whether a LoadBalancer service gets node ports.
  loadBalancerClass: string ; The load balancer implementation that handles the service.
  internalTrafficPolicy: string enum=Cluster|Local ; Whether traffic from inside the cluster may go to pods on other nodes.
  trafficDistribution: string ; A preference for how traffic is spread over the endpoints, e.g. PreferClose.

ServicePort ; A port of a service.
  name: string ; The port's name, a DNS label; required when there are several ports.
  protocol: string enum=TCP|UDP|SCTP default="TCP" ; The port's protocol.
  appProtocol: string ; The application protocol, e.g. http or kubernetes.io/h2c.
  port!: int32 ; The port the service listens on.
  targetPort: ios ; The pods' port number or named port; port when unset.
  nodePort: int32 ; The port on every node for NodePort and LoadBalancer services; allocated when unset.

SessionAffinityConfig ; Settings of a service's session affinity.
  clientIP: ClientIPConfig ; Settings of ClientIP affinity.

ClientIPConfig ; Settings of ClientIP session affinity.
  timeoutSeconds: int32 ; How long a client sticks to a pod, 1 to 86400 seconds.

ServiceStatus ; The observed state of a service.
  loadBalancer: LoadBalancerStatus ; The load balancer, if there is one.
  conditions: []meta.v1.Condition merge=type list=map keys=type ; The service's current conditions.

LoadBalancerStatus ; The state of a load balancer.
  ingress: []LoadBalancerIngress list=atomic ; The load balancer's addresses.

LoadBalancerIngress ; An address of a load balancer.
  ip: string ; An IP address.
  hostname: string ; A DNS name.
  ipMode: string enum=VIP|Proxy ; How traffic reaches the nodes: with the IP as destination, or proxied.
  ports: []PortStatus list=atomic ; The state of each service port.

PortStatus ; The state of a service port on a load balancer.
  port!: int32 ; The port.
  protocol!: string enum=TCP|UDP|SCTP ; The port's protocol.
  error: string ; Why the port does not work, in CamelCase; empty when it does.

Endpoints kind ; The addresses and ports that implement a service.
  subsets: []EndpointSubset list=atomic ; Groups of addresses that share ports.

EndpointSubset ; Addresses that share a set of ports.
  addresses: []EndpointAddress list=atomic ; Addresses that are ready.
  notReadyAddresses: []EndpointAddress list=atomic ; Addresses that are not ready yet.
  ports: []EndpointPort list=atomic ; The ports of every address.

EndpointAddress atomic ; An endpoint's address.
  ip!: string ; The IP.
  hostname: string ; The endpoint's host name.
  nodeName: string ; The node the endpoint runs on.
  targetRef: ObjectReference ; The object behind the endpoint, usually a pod.

EndpointPort atomic ; A port of endpoints.
  name: string ; The service port's name.
  port!: int32 ; The port number.
  protocol: string enum=TCP|UDP|SCTP default="TCP" ; The port's protocol.
  appProtocol: string ; The application protocol.

ConfigMap kind ; Configuration data as keys and values.
  immutable: bool ; Whether data and binaryData can no longer change.
  data: {}string ; UTF-8 values by key.
  binaryData: {}bytes ; Binary values by key, base64 in JSON.

Secret kind ; Sensitive data as keys and values.
  immutable: bool ; Whether data can no longer change.
  data: {}bytes ; Values by key, base64 in JSON.
  stringData: {}string ; Plain-text values merged into data on write; never read back.
  type: string default="Opaque" ; What the secret holds, e.g. kubernetes.io/tls; checks the keys it must have.

ServiceAccount kind ; An identity for processes that run in pods.
  secrets: []ObjectReference merge=name ; Secrets pods of this account may use; legacy token secrets.
  imagePullSecrets: []LocalObjectReference list=atomic ; Registry credentials added to pods of this account.
  automountServiceAccountToken: bool ; Whether pods of this account get a token mounted by default.

Node kind ; A machine that runs pods.
  spec: NodeSpec ; The desired state of the node.
  status: NodeStatus ; The observed state of the node, reported by its kubelet.

NodeSpec ; The desired state of a node.
  podCIDR: string ; The pod IP range of the node.
  podCIDRs: []string merge list=set ; The pod IP ranges of the node, at most one per family.
  providerID: string ; The cloud provider's ID of the node.
  unschedulable: bool ; Whether new pods are kept off the node (cordoned).
  taints: []Taint list=atomic ; Taints that repel pods that do not tolerate them.
  configSource: NodeConfigSource ; Deprecated: dynamic kubelet configuration.
  externalID: string ; Deprecated and unused.

Taint ; A mark on a node that repels pods without a matching toleration.
  key!: string ; The taint key.
  value: string ; The taint value.
  effect!: string enum=NoSchedule|PreferNoSchedule|NoExecute ; What happens to pods that do not tolerate it.
  timeAdded: time ; When a NoExecute taint was added.

NodeConfigSource open ; Deprecated dynamic kubelet configuration; its fields are kept as sent.
NodeConfigStatus open ; Deprecated dynamic kubelet configuration status; its fields are kept as sent.

NodeStatus ; The observed state of a node.
  capacity: {}quantity ; The node's total resources.
  allocatable: {}quantity ; The resources available to pods; capacity when unset.
  phase: string enum=Pending|Running|Terminated ; Deprecated: the node's lifecycle phase.
  conditions: []NodeCondition merge=type ; The node's current conditions, e.g. Ready.
  addresses: []NodeAddress merge=type ; The node's addresses.
  daemonEndpoints: NodeDaemonEndpoints ; Ports of the daemons on the node.
  nodeInfo: NodeSystemInfo ; Facts about the node's system.
  images: []ContainerImage list=atomic ; Images present on the node.
  volumesInUse: []string list=atomic ; Attached volumes that are in use.
  volumesAttached: []AttachedVolume list=atomic ; Volumes attached to the node.
  config: NodeConfigStatus ; Deprecated: dynamic kubelet configuration status.
  runtimeHandlers: []NodeRuntimeHandler list=atomic ; The runtime handlers the node offers.

NodeCondition ; One aspect of a node's state.
  type!: string ; The aspect, e.g. Ready or MemoryPressure.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastHeartbeatTime: time ; When the kubelet last confirmed the condition.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

NodeAddress ; An address of a node.
  type!: string enum=Hostname|InternalIP|ExternalIP|InternalDNS|ExternalDNS ; The kind of address.
  address!: string ; The address.

NodeDaemonEndpoints ; Ports of the daemons on a node.
  kubeletEndpoint: DaemonEndpoint ; The kubelet's port.

DaemonEndpoint ; A daemon's port.
  Port!: int32 ; The port number.

NodeSystemInfo ; Facts about a node's system.
  machineID!: string ; The machine ID (/etc/machine-id).
  systemUUID!: string ; The system UUID from the firmware.
  bootID!: string ; The ID of the current boot.
  kernelVersion!: string ; The kernel version (uname -r).
  osImage!: string ; The OS name from /etc/os-release.
  containerRuntimeVersion!: string ; The container runtime, as <name>://<version>.
  kubeletVersion!: string ; The kubelet version.
  kubeProxyVersion!: string ; Deprecated: the kube-proxy version.
  operatingSystem!: string ; The operating system, e.g. linux.
  architecture!: string ; The CPU architecture, e.g. amd64 or arm64.

ContainerImage ; An image on a node.
  names: []string list=atomic ; The image's names and digests.
  sizeBytes: int64 ; The image's size.

AttachedVolume ; A volume attached to a node.
  name!: string ; The volume's name.
  devicePath!: string ; Where the device appears on the node.

NodeRuntimeHandler ; A runtime handler of a node.
  name: string ; The handler's name; empty for the default.
  features: NodeRuntimeHandlerFeatures ; What the handler supports.

NodeRuntimeHandlerFeatures ; Features of a runtime handler.
  recursiveReadOnlyMounts: bool ; Whether recursive read-only mounts work.
  userNamespaces: bool ; Whether pods can have their own user namespace.

Event kind ; A report of something that happened to an object (core/v1 form).
  involvedObject!: ObjectReference ; The object the event is about.
  reason: string ; Why the event happened, in CamelCase, e.g. Scheduled.
  message: string ; What happened, for people.
  source: EventSource ; The component that reported the event.
  firstTimestamp: time ; When the event was first seen.
  lastTimestamp: time ; When the event was last seen.
  count: int32 ; How often the event was seen.
  type: string ; Normal or Warning.
  eventTime: time ; When the event was first seen, with microseconds.
  series: EventSeries ; Repeats of the event, when it is a series.
  action: string ; What was done, or failed, about the object.
  related: ObjectReference ; A second object the event is about.
  reportingComponent: string ; The controller that reported the event, e.g. kubelet.
  reportingInstance: string ; The instance of the controller, e.g. the node name.

EventSource ; The component that reported an event.
  component: string ; The component's name.
  host: string ; The node it runs on.

EventSeries ; Repeats of an event.
  count: int32 ; How often the event was seen.
  lastObservedTime: time ; When the event was last seen.

PersistentVolume kind ; A storage volume of the cluster, bound to at most one claim.
  spec: PersistentVolumeSpec ; The desired state of the volume.
  status: PersistentVolumeStatus default={"phase":"Pending"} ; The observed state of the volume.

PersistentVolumeClaim kind ; A user's request for storage, bound to a persistent volume.
  spec: PersistentVolumeClaimSpec ; What the claim asks for.
  status: PersistentVolumeClaimStatus default={"phase":"Pending"} ; The observed state of the claim.

LimitRange kind ; Limits and defaults for the resources of the objects in a namespace.
  spec: LimitRangeSpec ; The limits.

LimitRangeSpec ; The limits of a namespace.
  limits!: []LimitRangeItem list=atomic ; One entry per kind of object.

LimitRangeItem ; Resource limits of one kind of object.
  type!: string enum=Pod|Container|PersistentVolumeClaim ; The kind of object limited.
  max: {}quantity ; The most of each resource.
  min: {}quantity ; The least of each resource.
  default: {}quantity ; Limits given to containers that set none.
  defaultRequest: {}quantity ; Requests given to containers that set none.
  maxLimitRequestRatio: {}quantity ; The largest allowed ratio of limit to request.

ResourceQuota kind ; Caps on the resources a namespace may use.
  spec: ResourceQuotaSpec ; The caps.
  status: ResourceQuotaStatus ; The caps and the current use.

ResourceQuotaSpec ; The caps of a quota.
  hard: {}quantity ; The cap of each resource.
  scopes: []string list=atomic ; Which objects count, e.g. Terminating or BestEffort.
  scopeSelector: ScopeSelector ; Which objects count, as expressions over scopes.

ScopeSelector atomic ; Expressions over quota scopes, ANDed.
  matchExpressions: []ScopedResourceSelectorRequirement list=atomic ; The expressions.

ScopedResourceSelectorRequirement ; One expression over a quota scope.
  scopeName!: string ; The scope, e.g. PriorityClass.
  operator!: string enum=In|NotIn|Exists|DoesNotExist ; How the scope relates to the values.
  values: []string list=atomic ; The values for In and NotIn.

ResourceQuotaStatus ; The caps and the current use of a quota.
  hard: {}quantity ; The caps in force.
  used: {}quantity ; The current use of each capped resource.

ReplicationController kind ; Keeps a number of pods running (superseded by Deployment and ReplicaSet).
  spec: ReplicationControllerSpec ; The desired state.
  status: ReplicationControllerStatus ; The observed state.

ReplicationControllerSpec ; The desired state of a replication controller.
  replicas: int32 default=1 ; How many pods to run.
  minReadySeconds: int32 ; Seconds a new pod must be ready to count as available.
  selector: {}string maptype=atomic ; Labels of the pods it manages; the template's labels when unset.
  template: PodTemplateSpec ; The pods it creates.

ReplicationControllerStatus ; The observed state of a replication controller.
  replicas!: int32 ; How many pods there are.
  fullyLabeledReplicas: int32 ; How many pods carry all of the template's labels.
  readyReplicas: int32 ; How many pods are ready.
  availableReplicas: int32 ; How many pods have been ready for minReadySeconds.
  observedGeneration: int64 ; The generation last acted on.
  conditions: []ReplicationControllerCondition merge=type ; The current conditions.

ReplicationControllerCondition ; One aspect of a replication controller's state.
  type!: string ; The aspect, e.g. ReplicaFailure.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

TopologySelectorTerm atomic ; A topology query term: all of its requirements must match.
  matchLabelExpressions: []TopologySelectorLabelRequirement list=atomic ; Requirements on topology labels.

TopologySelectorLabelRequirement ; A topology label and the values it may have.
  key!: string ; The label key.
  values!: []string list=atomic ; The values; any of them matches.
)schema";

}  // namespace skiff::api::schema_text
