// Schema text of the smaller groups: discovery, coordination, events, networking, storage,
// rbac, certificates, policy, scheduling, authentication and apiextensions. The format is
// described in builtin_schemas.cpp.
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kGroups;
const std::string_view kGroups = R"schema(
package discovery.v1 discovery.k8s.io

EndpointSlice kind ; A slice of the endpoints of a service.
  addressType!: string enum=IPv4|IPv6|FQDN ; The type of every address in the slice.
  endpoints!: []Endpoint list=atomic ; The endpoints, at most 1000.
  ports: []EndpointPort list=atomic ; The ports of every endpoint.

Endpoint ; One endpoint of a service.
  addresses!: []string list=set ; The endpoint's addresses, of the slice's addressType; usually one.
  conditions: EndpointConditions ; Whether the endpoint can take traffic.
  hostname: string ; The endpoint's host name.
  targetRef: core.v1.ObjectReference ; The object behind the endpoint, usually a pod.
  deprecatedTopology: {}string ; Deprecated topology labels; use zone and nodeName.
  nodeName: string ; The node the endpoint runs on.
  zone: string ; The zone the endpoint is in.
  hints: EndpointHints ; Hints for topology-aware routing.

EndpointConditions ; The state of an endpoint.
  ready: bool ; Whether the endpoint should take new traffic.
  serving: bool ; Whether the endpoint can take traffic, even while terminating.
  terminating: bool ; Whether the endpoint is terminating.

EndpointHints ; Hints on which clients should use an endpoint.
  forZones: []ForZone list=atomic ; Zones whose clients should use the endpoint.

ForZone ; A zone in a hint.
  name!: string ; The zone's name.

EndpointPort atomic ; A port of the endpoints in a slice.
  name: string default="" ; The service port's name.
  protocol: string enum=TCP|UDP|SCTP default="TCP" ; The port's protocol.
  port: int32 ; The port number; unset means all ports.
  appProtocol: string ; The application protocol.

package coordination.v1 coordination.k8s.io

Lease kind ; A lock with a holder and an expiry, for leader election and node heartbeats.
  spec: LeaseSpec ; The state of the lease.

LeaseSpec ; The state of a lease.
  holderIdentity: string ; Who holds the lease.
  leaseDurationSeconds: int32 ; How long others wait after renewTime before taking the lease.
  acquireTime: time ; When the current holder took the lease.
  renewTime: time ; When the holder last renewed the lease.
  leaseTransitions: int32 ; How often the lease changed hands.

package events.v1 events.k8s.io

Event kind ; A report of something that happened to an object.
  eventTime!: time ; When the event first happened.
  series: EventSeries ; Repeats of the event, when it is a series.
  reportingController: string ; The controller that reported the event, e.g. kubernetes.io/kubelet.
  reportingInstance: string ; The instance of the controller, e.g. the node name.
  action: string ; What was done, or failed, about the object.
  reason: string ; Why the event happened, in CamelCase.
  regarding: core.v1.ObjectReference ; The object the event is about.
  related: core.v1.ObjectReference ; A second object the event is about.
  note: string ; What happened, for people.
  type: string ; Normal or Warning.
  deprecatedSource: core.v1.EventSource ; The core/v1 source field.
  deprecatedFirstTimestamp: time ; The core/v1 firstTimestamp field.
  deprecatedLastTimestamp: time ; The core/v1 lastTimestamp field.
  deprecatedCount: int32 ; The core/v1 count field.

EventSeries ; Repeats of an event.
  count!: int32 ; How often the event happened.
  lastObservedTime!: time ; When the event last happened.

package networking.v1 networking.k8s.io

NetworkPolicy kind ; Which traffic the selected pods may receive and send.
  spec: NetworkPolicySpec ; The policy.

NetworkPolicySpec ; A network policy.
  podSelector: meta.v1.LabelSelector ; The pods the policy applies to, in its namespace; {} selects all.
  ingress: []NetworkPolicyIngressRule list=atomic ; Traffic the pods may receive.
  egress: []NetworkPolicyEgressRule list=atomic ; Traffic the pods may send.
  policyTypes: []string enum=Ingress|Egress list=atomic ; Which directions the policy restricts.

NetworkPolicyIngressRule ; Incoming traffic a policy allows.
  ports: []NetworkPolicyPort list=atomic ; Allowed destination ports; all when empty.
  from: []NetworkPolicyPeer list=atomic ; Allowed sources; all when empty.

NetworkPolicyEgressRule ; Outgoing traffic a policy allows.
  ports: []NetworkPolicyPort list=atomic ; Allowed destination ports; all when empty.
  to: []NetworkPolicyPeer list=atomic ; Allowed destinations; all when empty.

NetworkPolicyPort ; A port or port range.
  protocol: string enum=TCP|UDP|SCTP default="TCP" ; The protocol.
  port: ios ; The port number or named port; all ports when unset.
  endPort: int32 ; The last port of a range that starts at port.

NetworkPolicyPeer ; A set of pods or addresses.
  podSelector: meta.v1.LabelSelector ; Pods, in the policy's namespace unless namespaceSelector is set.
  namespaceSelector: meta.v1.LabelSelector ; Namespaces whose pods are included.
  ipBlock: IPBlock ; A CIDR.

IPBlock ; An IP range.
  cidr!: string ; The range, e.g. 10.0.0.0/8.
  except: []string list=atomic ; Ranges inside cidr that are left out.

Ingress kind ; HTTP routes from outside the cluster to services.
  spec: IngressSpec ; The desired routes.
  status: IngressStatus ; The observed state of the ingress.

IngressSpec ; The routes of an ingress.
  ingressClassName: string ; The IngressClass of the controller that implements the ingress.
  defaultBackend: IngressBackend ; Where requests that match no rule go.
  tls: []IngressTLS list=atomic ; TLS settings by host.
  rules: []IngressRule list=atomic ; The routes by host.

IngressBackend ; Where requests go; exactly one is set.
  service: IngressServiceBackend ; A service.
  resource: core.v1.TypedLocalObjectReference ; Another object in the namespace, e.g. a storage bucket.

IngressServiceBackend ; A service port requests go to.
  name!: string ; The service's name.
  port: ServiceBackendPort ; The service's port.

ServiceBackendPort ; A service port, by name or number.
  name: string ; The port's name.
  number: int32 ; The port's number.

IngressTLS ; TLS settings of hosts.
  hosts: []string list=atomic ; The hosts the certificate covers.
  secretName: string ; The secret with the certificate and key.

IngressRule ; Routes of one host.
  host: string ; The host, maybe with a leading *. wildcard; all hosts when unset.
  http: HTTPIngressRuleValue ; The HTTP routes.

HTTPIngressRuleValue ; HTTP routes by path.
  paths!: []HTTPIngressPath list=atomic ; The routes.

HTTPIngressPath ; A route by path.
  path: string ; The path, starting with /.
  pathType!: string enum=Exact|Prefix|ImplementationSpecific ; How the path is matched.
  backend!: IngressBackend ; Where matching requests go.

IngressStatus ; The observed state of an ingress.
  loadBalancer: IngressLoadBalancerStatus ; The load balancer.

IngressLoadBalancerStatus ; The state of an ingress load balancer.
  ingress: []IngressLoadBalancerIngress list=atomic ; Its addresses.

IngressLoadBalancerIngress ; An address of an ingress load balancer.
  ip: string ; An IP address.
  hostname: string ; A DNS name.
  ports: []IngressPortStatus list=atomic ; The state of each port.

IngressPortStatus ; The state of a load balancer port.
  port!: int32 ; The port.
  protocol!: string enum=TCP|UDP|SCTP ; The port's protocol.
  error: string ; Why the port does not work, in CamelCase; empty when it does.

IngressClass kind ; A kind of ingress and the controller that implements it.
  spec: IngressClassSpec ; The class.

IngressClassSpec ; An ingress class.
  controller: string ; The controller's name, e.g. example.com/ingress-controller.
  parameters: IngressClassParametersReference ; An object with further settings for the controller.

IngressClassParametersReference ; An object with ingress class settings.
  apiGroup: string ; The object's group.
  kind!: string ; The object's kind.
  name!: string ; The object's name.
  scope: string enum=Cluster|Namespace default="Cluster" ; Whether the object is cluster-wide or namespaced.
  namespace: string ; The object's namespace, for scope Namespace.

package storage.v1 storage.k8s.io

StorageClass kind ; A class of dynamically provisioned persistent volumes.
  provisioner!: string ; The provisioner, e.g. a CSI driver name.
  parameters: {}string ; Provisioner-specific settings.
  reclaimPolicy: string enum=Delete|Retain|Recycle default="Delete" ; The reclaim policy of the volumes made.
  mountOptions: []string list=atomic ; Mount options of the volumes made.
  allowVolumeExpansion: bool ; Whether claims of this class can grow.
  volumeBindingMode: string enum=Immediate|WaitForFirstConsumer default="Immediate" ; When claims are bound and provisioned.
  allowedTopologies: []core.v1.TopologySelectorTerm list=atomic ; Where volumes may be provisioned.

package rbac.v1 rbac.authorization.k8s.io

Role kind ; Permissions within a namespace.
  rules: []PolicyRule list=atomic ; The permissions.

ClusterRole kind copy=Role ; Permissions cluster-wide, or a set of permissions to bind in namespaces.
  aggregationRule: AggregationRule ; Selects ClusterRoles whose rules are aggregated into this one.

PolicyRule ; Verbs allowed on resources or non-resource URLs.
  verbs!: []string list=atomic ; The verbs, e.g. get or list; * for all.
  apiGroups: []string list=atomic ; The API groups; "" for core, * for all.
  resources: []string list=atomic ; The resources, e.g. pods or pods/log; * for all.
  resourceNames: []string list=atomic ; Names of the objects; all when empty.
  nonResourceURLs: []string list=atomic ; URL paths such as /healthz, for ClusterRoles.

AggregationRule ; How a ClusterRole's rules are gathered.
  clusterRoleSelectors: []meta.v1.LabelSelector list=atomic ; ClusterRoles whose rules are included.

RoleBinding kind ; Grants a role's permissions to subjects within a namespace.
  subjects: []Subject list=atomic ; Who gets the permissions.
  roleRef!: RoleRef ; The Role or ClusterRole; cannot change.

ClusterRoleBinding kind copy=RoleBinding ; Grants a ClusterRole's permissions to subjects cluster-wide.

Subject atomic ; A user, group or service account.
  kind!: string ; User, Group or ServiceAccount.
  apiGroup: string ; rbac.authorization.k8s.io for users and groups, "" for service accounts.
  name!: string ; The subject's name.
  namespace: string ; The service account's namespace.

RoleRef atomic ; The role a binding grants.
  apiGroup!: string default="rbac.authorization.k8s.io" ; The role's group.
  kind!: string ; Role or ClusterRole.
  name!: string ; The role's name.

package certificates.v1 certificates.k8s.io

CertificateSigningRequest kind ; A request for a certificate, approved and then signed by a signer.
  spec!: CertificateSigningRequestSpec ; The request.
  status: CertificateSigningRequestStatus ; Whether it was approved and the certificate.

CertificateSigningRequestSpec ; A certificate request.
  request!: bytes ; The PEM-encoded PKCS#10 request.
  signerName!: string ; The signer asked to sign, e.g. kubernetes.io/kube-apiserver-client.
  expirationSeconds: int32 ; The requested validity of the certificate, at least 600 seconds.
  usages: []string enum="signing"|"digital signature"|"content commitment"|"key encipherment"|"key agreement"|"data encipherment"|"cert sign"|"crl sign"|"encipher only"|"decipher only"|"any"|"server auth"|"client auth"|"code signing"|"email protection"|"s/mime"|"ipsec end system"|"ipsec tunnel"|"ipsec user"|"timestamping"|"ocsp signing"|"microsoft sgc"|"netscape sgc" list=atomic ; The key usages requested.
  username: string ; The requesting user; set by the server.
  uid: string ; The requesting user's uid; set by the server.
  groups: []string list=atomic ; The requesting user's groups; set by the server.
  extra: {}[]string ; Further attributes of the requesting user; set by the server.

CertificateSigningRequestStatus ; The outcome of a certificate request.
  conditions: []CertificateSigningRequestCondition list=map keys=type ; Approved, Denied or Failed.
  certificate: bytes ; The PEM-encoded certificate chain, set by the signer.

CertificateSigningRequestCondition ; An outcome of a certificate request.
  type!: string ; Approved, Denied or Failed.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  reason: string ; Why, in CamelCase.
  message: string ; Why, for people.
  lastUpdateTime: time ; When the condition was last updated.
  lastTransitionTime: time ; When the status last changed.

package policy.v1

PodDisruptionBudget kind ; Limits how many pods of a set voluntary disruptions may take down at once.
  spec: PodDisruptionBudgetSpec ; The budget.
  status: PodDisruptionBudgetStatus ; The observed state of the budget.

PodDisruptionBudgetSpec ; A disruption budget.
  minAvailable: ios ; How many pods, or what percentage, must stay available.
  selector: meta.v1.LabelSelector ; The pods the budget covers.
  maxUnavailable: ios ; How many pods, or what percentage, may be unavailable.
  unhealthyPodEvictionPolicy: string enum=IfHealthyBudget|AlwaysAllow ; When pods that are not ready may be evicted.

PodDisruptionBudgetStatus ; The observed state of a disruption budget.
  observedGeneration: int64 ; The generation last acted on.
  disruptedPods: {}time ; Pods being evicted, not yet seen gone, with when they were.
  disruptionsAllowed!: int32 ; How many pods may be disrupted now.
  currentHealthy!: int32 ; How many pods are healthy.
  desiredHealthy!: int32 ; How many pods must be healthy.
  expectedPods!: int32 ; How many pods the budget counts.
  conditions: []meta.v1.Condition merge=type list=map keys=type ; The current conditions, e.g. DisruptionAllowed.

Eviction kind ; Asks to evict a pod within its disruption budgets; posted to a pod's eviction subresource.
  deleteOptions: meta.v1.DeleteOptions ; How the pod is deleted.

package scheduling.v1 scheduling.k8s.io

PriorityClass kind ; A name for a pod priority.
  value!: int32 ; The priority; higher is more important.
  globalDefault: bool ; Whether pods without a priorityClassName get this class.
  description: string ; When to use this class.
  preemptionPolicy: string enum=PreemptLowerPriority|Never default="PreemptLowerPriority" ; Whether pods of this class may preempt lower-priority pods.

package authentication.v1 authentication.k8s.io

TokenRequest kind ; Asks for a token of a service account; posted to its token subresource.
  spec!: TokenRequestSpec ; What the token is for.
  status: TokenRequestStatus ; The token.

TokenRequestSpec ; What a requested token is for.
  audiences!: []string list=atomic ; The audiences the token is for.
  expirationSeconds: int64 default=3600 ; The requested lifetime of the token.
  boundObjectRef: BoundObjectReference ; An object whose deletion invalidates the token.

BoundObjectReference ; An object a token is bound to.
  kind: string ; Pod, Secret or Node.
  apiVersion: string ; The object's API version.
  name: string ; The object's name.
  uid: string ; The object's uid.

TokenRequestStatus ; An issued token.
  token!: string ; The token.
  expirationTimestamp!: time ; When the token expires.

package apiextensions.v1 apiextensions.k8s.io

CustomResourceDefinition kind ; Adds a kind to the API, served from its schema.
  spec!: CustomResourceDefinitionSpec ; The kind and how it is served.
  status: CustomResourceDefinitionStatus ; The observed state of the definition.

CustomResourceDefinitionSpec ; A custom kind and how it is served.
  group!: string ; The API group of the kind.
  names!: CustomResourceDefinitionNames ; The kind's names.
  scope!: string enum=Cluster|Namespaced ; Whether objects are cluster-wide or namespaced.
  versions!: []CustomResourceDefinitionVersion list=atomic ; The served versions; exactly one is stored.
  conversion: CustomResourceConversion default={"strategy":"None"} ; How objects are converted between versions.
  preserveUnknownFields: bool ; Deprecated: whether unknown fields are kept; must be false.

CustomResourceDefinitionNames ; The names of a custom kind.
  plural!: string ; The plural, lower case: the resource in URLs.
  singular: string ; The singular, lower case; the lower-cased kind when unset.
  shortNames: []string list=atomic ; Short names for kubectl.
  kind!: string ; The kind, in CamelCase.
  listKind: string ; The kind of lists; kind + List when unset.
  categories: []string list=atomic ; Groups of resources it belongs to, e.g. all.

CustomResourceDefinitionVersion ; A version of a custom kind.
  name!: string ; The version, e.g. v1 or v1beta1.
  served!: bool ; Whether the version is served.
  storage!: bool ; Whether objects are stored in this version.
  deprecated: bool ; Whether the version is deprecated.
  deprecationWarning: string ; The warning sent to clients of a deprecated version.
  schema: CustomResourceValidation ; The schema of objects of this version.
  subresources: CustomResourceSubresources ; The subresources served.
  additionalPrinterColumns: []CustomResourceColumnDefinition list=atomic ; Extra columns of kubectl get.
  selectableFields: []SelectableField list=atomic ; Fields that field selectors may use.

CustomResourceValidation ; The schema of a custom kind's version.
  openAPIV3Schema: JSONSchemaProps ; The OpenAPI v3 schema.

JSONSchemaProps open ; A JSON schema (OpenAPI v3 subset); its fields are kept as sent.

CustomResourceSubresources ; The subresources of a custom kind.
  status: CustomResourceSubresourceStatus ; Serve /status; the main resource then ignores status.
  scale: CustomResourceSubresourceScale ; Serve /scale.

CustomResourceSubresourceStatus ; Enables the status subresource; has no fields.

CustomResourceSubresourceScale ; Where the scale subresource reads and writes.
  specReplicasPath!: string ; The JSON path of the desired replicas, under .spec.
  statusReplicasPath!: string ; The JSON path of the current replicas, under .status.
  labelSelectorPath: string ; The JSON path of the pods' selector string.

CustomResourceColumnDefinition ; An extra kubectl get column.
  name!: string ; The column's header.
  type!: string ; The OpenAPI type: integer, number, string, boolean or date.
  format: string ; The OpenAPI format of the values.
  description: string ; What the column shows.
  priority: int32 ; 0 shows the column always, higher only with -o wide.
  jsonPath!: string ; The JSON path of the value in each object.

SelectableField ; A field usable in field selectors.
  jsonPath!: string ; The JSON path of the field.

CustomResourceConversion ; How objects of a custom kind are converted between versions.
  strategy!: string enum=None|Webhook ; None changes only apiVersion; Webhook calls a webhook.
  webhook: WebhookConversion ; The webhook, for strategy Webhook.

WebhookConversion ; A conversion webhook.
  clientConfig: WebhookClientConfig ; How to reach the webhook.
  conversionReviewVersions!: []string list=atomic ; The ConversionReview versions the webhook accepts, in order.

WebhookClientConfig ; How to reach a webhook.
  url: string ; The webhook's https URL.
  service: ServiceReference ; The service that serves the webhook.
  caBundle: bytes ; PEM CA certificates to verify the webhook's certificate.

ServiceReference ; A service that serves a webhook.
  namespace!: string ; The service's namespace.
  name!: string ; The service's name.
  path: string ; The URL path to call.
  port: int32 default=443 ; The service port.

CustomResourceDefinitionStatus ; The observed state of a custom resource definition.
  conditions: []CustomResourceDefinitionCondition list=map keys=type ; The current conditions, e.g. Established.
  acceptedNames: CustomResourceDefinitionNames ; The names in use; they can differ from spec.names on conflicts.
  storedVersions: []string list=atomic ; Versions objects have been stored in.

CustomResourceDefinitionCondition ; One aspect of a definition's state.
  type!: string ; The aspect, e.g. Established or NamesAccepted.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.
)schema";

}  // namespace skiff::api::schema_text
