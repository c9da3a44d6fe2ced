// Schema text of core/v1 pods: PodSpec, containers, probes, security, scheduling and status.
// The format is described in builtin_schemas.cpp.
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kCore;
const std::string_view kCore = R"schema(
package core.v1

PodTemplateSpec ; The metadata and spec given to each pod created from a template.
  metadata: meta.v1.ObjectMeta ; Labels, annotations and other metadata of the pods.
  spec: PodSpec ; The desired state of the pods.

PodSpec ; The desired state of a pod: its containers, volumes, and where and how it runs.
  volumes: []Volume merge=name retainkeys ; Volumes the pod's containers can mount.
  initContainers: []Container merge=name ; Containers run one after another to completion before the app containers start.
  containers!: []Container merge=name ; The pod's app containers; at least one.
  ephemeralContainers: []EphemeralContainer merge=name ; Containers added to a running pod for debugging, through the ephemeralcontainers subresource.
  restartPolicy: string enum=Always|OnFailure|Never default="Always" ; When the kubelet restarts containers that exit.
  terminationGracePeriodSeconds: int64 default=30 ; Seconds between the termination signal and the kill on graceful deletion.
  activeDeadlineSeconds: int64 ; Seconds the pod may be active on a node before the system fails it.
  dnsPolicy: string enum=ClusterFirstWithHostNet|ClusterFirst|Default|None default="ClusterFirst" ; How the pod's DNS resolver is configured.
  nodeSelector: {}string maptype=atomic ; Labels a node must have for the pod to be scheduled there.
  serviceAccountName: string ; The service account the pod runs as.
  serviceAccount: string ; Deprecated alias of serviceAccountName.
  automountServiceAccountToken: bool ; Whether the service account token is mounted into the containers.
  nodeName: string ; The node the pod is bound to; set by the scheduler, or by the user to skip scheduling.
  hostNetwork: bool ; Whether the pod uses the node's network namespace.
  hostPID: bool ; Whether the pod uses the node's process namespace.
  hostIPC: bool ; Whether the pod uses the node's IPC namespace.
  shareProcessNamespace: bool ; Whether the pod's containers share one process namespace.
  securityContext: PodSecurityContext default={} ; Security settings for all of the pod's containers.
  imagePullSecrets: []LocalObjectReference merge=name ; Secrets with registry credentials for pulling the images.
  hostname: string ; The pod's host name; the pod's name when unset.
  subdomain: string ; With hostname, gives the pod the name <hostname>.<subdomain>.<namespace>.svc.
  affinity: Affinity ; Node affinity and pod (anti-)affinity rules for scheduling.
  schedulerName: string default="default-scheduler" ; The scheduler that places the pod.
  tolerations: []Toleration list=atomic ; Node taints the pod tolerates.
  hostAliases: []HostAlias merge=ip ; Extra entries for the pod's /etc/hosts.
  priorityClassName: string ; The PriorityClass that sets the pod's priority.
  priority: int32 ; The pod's priority, resolved from priorityClassName by admission.
  dnsConfig: PodDNSConfig ; DNS settings merged into those dnsPolicy produces.
  readinessGates: []PodReadinessGate list=atomic ; Further conditions that must be True for the pod to be ready.
  runtimeClassName: string ; The RuntimeClass that selects the container runtime handler.
  enableServiceLinks: bool ; Whether services are injected into the containers' environment, docker-links style.
  preemptionPolicy: string enum=PreemptLowerPriority|Never ; Whether the pod may preempt lower-priority pods.
  overhead: {}quantity ; Resources the pod's sandbox uses besides its containers, set from the RuntimeClass.
  topologySpreadConstraints: []TopologySpreadConstraint merge=topologyKey list=map keys=topologyKey,whenUnsatisfiable ; How the pods of a group spread across topology domains.
  setHostnameAsFQDN: bool ; Whether the pod's host name is its fully qualified domain name.
  os: PodOS ; The operating system the pod's containers need.
  hostUsers: bool ; Whether the pod uses the node's user namespace; false gives it its own.
  schedulingGates: []PodSchedulingGate merge=name list=map keys=name ; Gates that keep the pod from being scheduled until all are removed.
  resourceClaims: []PodResourceClaim merge=name retainkeys list=map keys=name ; Dynamically allocated resources the pod's containers may use.

Container ; A container of a pod.
  name!: string ; The container's name, a DNS label unique within the pod.
  image: string ; The image to run; required except in templates that set it later.
  command: []string list=atomic ; The entrypoint, replacing the image's ENTRYPOINT; $(VAR) references are expanded.
  args: []string list=atomic ; Arguments to the entrypoint, replacing the image's CMD; $(VAR) references are expanded.
  workingDir: string ; The working directory; the image's when unset.
  ports: []ContainerPort merge=containerPort list=map keys=containerPort,protocol ; Ports the container listens on, for information and host port mapping.
  envFrom: []EnvFromSource list=atomic ; Config maps and secrets whose keys become environment variables.
  env: []EnvVar merge=name ; Environment variables to set.
  resources: ResourceRequirements ; Compute resources the container requests and may not exceed.
  restartPolicy: string enum=Always ; For init containers only: Always makes it a sidecar that runs for the pod's lifetime.
  volumeMounts: []VolumeMount merge=mountPath ; Pod volumes to mount into the container's filesystem.
  volumeDevices: []VolumeDevice merge=devicePath ; Block volumes to expose as devices in the container.
  livenessProbe: Probe ; Checks that the container still works; it is restarted when this fails.
  readinessProbe: Probe ; Checks that the container can serve; it gets no service traffic while this fails.
  startupProbe: Probe ; Checks that the container has started; the other probes wait until this succeeds.
  lifecycle: Lifecycle ; Actions run just after the container starts and before it stops.
  terminationMessagePath: string default="/dev/termination-log" ; The file whose content becomes the container's termination message.
  terminationMessagePolicy: string enum=File|FallbackToLogsOnError default="File" ; Where the termination message comes from.
  imagePullPolicy: string enum=Always|Never|IfNotPresent ; When the kubelet pulls the image.
  securityContext: SecurityContext ; Security settings of this container, over the pod's.
  stdin: bool ; Whether the container has a stdin stream.
  stdinOnce: bool ; Whether stdin closes after the first attach session ends.
  tty: bool ; Whether the container gets a TTY; needs stdin.

EphemeralContainer copy=Container ; A debugging container added to a running pod; it is never restarted and has no ports, probes or resources.
  targetContainerName: string ; The container whose namespaces (IPC, PID...) this one joins.

ContainerPort ; A network port of a container.
  name: string ; An IANA_SVC_NAME, unique within the pod, that services can refer to.
  hostPort: int32 ; The port to expose on the node; rarely needed.
  containerPort!: int32 ; The port the container listens on.
  protocol: string enum=TCP|UDP|SCTP default="TCP" ; The port's protocol.
  hostIP: string ; The node address the host port binds to.

EnvVar ; An environment variable of a container.
  name!: string ; The variable's name.
  value: string ; The value; $(VAR) references to earlier variables are expanded.
  valueFrom: EnvVarSource ; Where the value comes from, instead of value.

EnvVarSource ; The source of an environment variable's value; exactly one is set.
  fieldRef: ObjectFieldSelector ; A field of the pod, e.g. metadata.name or status.podIP.
  resourceFieldRef: ResourceFieldSelector ; A resource limit or request of a container.
  configMapKeyRef: ConfigMapKeySelector ; A key of a config map.
  secretKeyRef: SecretKeySelector ; A key of a secret.

ObjectFieldSelector atomic ; Selects a field of the pod.
  apiVersion: string default="v1" ; The schema version the field path is written in.
  fieldPath!: string ; The path of the field.

ResourceFieldSelector atomic ; Selects a resource limit or request of a container.
  containerName: string ; The container; required for volumes.
  resource!: string ; The resource, e.g. limits.cpu or requests.memory.
  divisor: quantity ; The unit the value is expressed in; 1 by default.

ConfigMapKeySelector atomic ; Selects a key of a config map.
  name: string ; The config map's name.
  key!: string ; The key.
  optional: bool ; Whether the config map or key may be missing.

SecretKeySelector atomic ; Selects a key of a secret.
  name: string ; The secret's name.
  key!: string ; The key.
  optional: bool ; Whether the secret or key may be missing.

EnvFromSource ; A config map or secret whose keys become environment variables.
  prefix: string ; A prefix added to every variable name.
  configMapRef: ConfigMapEnvSource ; The config map.
  secretRef: SecretEnvSource ; The secret.

ConfigMapEnvSource ; A config map used as environment variables.
  name: string ; The config map's name.
  optional: bool ; Whether the config map may be missing.

SecretEnvSource ; A secret used as environment variables.
  name: string ; The secret's name.
  optional: bool ; Whether the secret may be missing.

ResourceRequirements ; Compute resources of a container.
  limits: {}quantity ; The most of each resource the container may use.
  requests: {}quantity ; The amount of each resource the container is scheduled with; the limits when unset.
  claims: []ResourceClaim list=map keys=name ; Which of the pod's resourceClaims this container uses.

ResourceClaim ; A container's use of one of the pod's resource claims.
  name!: string ; The name of an entry in the pod's resourceClaims.
  request: string ; The request of the claim to use; all of them when unset.

VolumeMount ; Where a volume appears in a container.
  name!: string ; The pod volume to mount.
  readOnly: bool ; Whether the mount is read-only.
  recursiveReadOnly: string ; Disabled, IfPossible or Enabled: whether read-only applies to submounts too.
  mountPath!: string ; The path in the container; it may not contain ':'.
  subPath: string ; The path within the volume to mount instead of its root.
  mountPropagation: string enum=None|HostToContainer|Bidirectional ; How mounts propagate between the host and the container.
  subPathExpr: string ; Like subPath, with $(VAR) references to the container's environment expanded.

VolumeDevice ; A block volume exposed as a device in a container.
  name!: string ; The pod's persistentVolumeClaim volume to expose.
  devicePath!: string ; The device path in the container.

Probe ; A health check the kubelet runs against a container.
  exec: ExecAction ; Run a command in the container; exit status 0 is success.
  httpGet: HTTPGetAction ; Send an HTTP GET; a status from 200 to 399 is success.
  tcpSocket: TCPSocketAction ; Open a TCP connection; success if it opens.
  grpc: GRPCAction ; Call the gRPC health checking service.
  initialDelaySeconds: int32 ; Seconds after the container starts before the first probe.
  timeoutSeconds: int32 default=1 ; Seconds after which one probe times out.
  periodSeconds: int32 default=10 ; Seconds between probes.
  successThreshold: int32 default=1 ; Consecutive successes needed after a failure; 1 for liveness and startup probes.
  failureThreshold: int32 default=3 ; Consecutive failures after which the probe counts as failed.
  terminationGracePeriodSeconds: int64 ; Grace period for a container killed by this probe, over the pod's.

ExecAction ; A command run in a container.
  command: []string list=atomic ; The command and its arguments, run without a shell.

HTTPGetAction ; An HTTP GET request.
  path: string default="/" ; The path to request.
  port!: ios ; The port number or container port name.
  host: string ; The host to connect to; the pod IP when unset.
  scheme: string enum=HTTP|HTTPS default="HTTP" ; The scheme to use.
  httpHeaders: []HTTPHeader list=atomic ; Headers to send.

HTTPHeader ; An HTTP header.
  name!: string ; The header name.
  value!: string ; The header value.

TCPSocketAction ; A TCP connection attempt.
  port!: ios ; The port number or container port name.
  host: string ; The host to connect to; the pod IP when unset.

GRPCAction ; A call to the gRPC health checking service.
  port!: int32 ; The port of the gRPC service.
  service: string ; The service name sent in the health check request.

Lifecycle ; Actions the kubelet runs at a container's start and stop.
  postStart: LifecycleHandler ; Runs right after the container is created; the container is restarted if it fails.
  preStop: LifecycleHandler ; Runs before the container is stopped, within the grace period.

LifecycleHandler ; One lifecycle action; exactly one is set.
  exec: ExecAction ; Run a command in the container.
  httpGet: HTTPGetAction ; Send an HTTP GET.
  tcpSocket: TCPSocketAction ; Deprecated: open a TCP connection.
  sleep: SleepAction ; Wait for a while.

SleepAction ; A pause.
  seconds!: int64 ; How long to sleep.

SecurityContext ; Security settings of one container.
  capabilities: Capabilities ; Linux capabilities to add to or drop from the runtime's default set.
  privileged: bool ; Whether the container runs privileged, like root on the host.
  seLinuxOptions: SELinuxOptions ; The SELinux context of the container.
  windowsOptions: WindowsSecurityContextOptions ; Windows-specific settings.
  runAsUser: int64 ; The user id the process runs as.
  runAsGroup: int64 ; The primary group id the process runs as.
  runAsNonRoot: bool ; Whether the kubelet refuses to start the container as user 0.
  readOnlyRootFilesystem: bool ; Whether the root filesystem is read-only.
  allowPrivilegeEscalation: bool ; Whether the process may gain more privileges than its parent (no_new_privs).
  procMount: string enum=Default|Unmasked ; How /proc is mounted.
  seccompProfile: SeccompProfile ; The seccomp profile, over the pod's.
  appArmorProfile: AppArmorProfile ; The AppArmor profile, over the pod's.

Capabilities ; Linux capabilities to add and drop.
  add: []string list=atomic ; Capabilities to add.
  drop: []string list=atomic ; Capabilities to drop.

SELinuxOptions ; An SELinux label.
  user: string ; The SELinux user.
  role: string ; The SELinux role.
  type: string ; The SELinux type.
  level: string ; The SELinux level.

WindowsSecurityContextOptions ; Windows-specific security settings.
  gmsaCredentialSpecName: string ; The GMSA credential spec to use, by name.
  gmsaCredentialSpec: string ; The GMSA credential spec content, inlined by admission.
  runAsUserName: string ; The Windows user the process runs as.
  hostProcess: bool ; Whether the container runs as a host process.

SeccompProfile ; A seccomp profile.
  type!: string enum=Localhost|RuntimeDefault|Unconfined ; Which kind of profile applies.
  localhostProfile: string ; For Localhost: the profile's path under the kubelet's seccomp directory.

AppArmorProfile ; An AppArmor profile.
  type!: string enum=Localhost|RuntimeDefault|Unconfined ; Which kind of profile applies.
  localhostProfile: string ; For Localhost: the name of a profile loaded on the node.

PodSecurityContext ; Security settings for all containers of a pod.
  seLinuxOptions: SELinuxOptions ; The SELinux context of every container.
  windowsOptions: WindowsSecurityContextOptions ; Windows-specific settings of every container.
  runAsUser: int64 ; The user id every container's process runs as.
  runAsGroup: int64 ; The primary group id every container's process runs as.
  runAsNonRoot: bool ; Whether the kubelet refuses to start containers as user 0.
  supplementalGroups: []int64 list=atomic ; Further group ids of every container's first process.
  fsGroup: int64 ; A group that owns the pod's volumes and is added to every container's groups.
  sysctls: []Sysctl list=atomic ; Namespaced kernel parameters to set for the pod.
  fsGroupChangePolicy: string enum=OnRootMismatch|Always ; When volume ownership is changed to fsGroup.
  seccompProfile: SeccompProfile ; The seccomp profile of every container.
  appArmorProfile: AppArmorProfile ; The AppArmor profile of every container.

Sysctl ; A kernel parameter.
  name!: string ; The parameter's name.
  value!: string ; The parameter's value.

Affinity ; Scheduling preferences and constraints of a pod.
  nodeAffinity: NodeAffinity ; Which nodes the pod may or prefers to run on.
  podAffinity: PodAffinity ; Pods this pod should run near.
  podAntiAffinity: PodAntiAffinity ; Pods this pod should run away from.

NodeAffinity ; Node selection rules.
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelector ; Nodes that do not match are not considered.
  preferredDuringSchedulingIgnoredDuringExecution: []PreferredSchedulingTerm list=atomic ; Weighted preferences among the nodes that fit.

NodeSelector atomic ; A node query: a node matches if any of its terms matches.
  nodeSelectorTerms!: []NodeSelectorTerm list=atomic ; The terms, ORed.

NodeSelectorTerm atomic ; A node query term: all of its requirements must match.
  matchExpressions: []NodeSelectorRequirement list=atomic ; Requirements on node labels.
  matchFields: []NodeSelectorRequirement list=atomic ; Requirements on node fields (metadata.name).

NodeSelectorRequirement ; One requirement on a node label or field.
  key!: string ; The label key or field name.
  operator!: string enum=In|NotIn|Exists|DoesNotExist|Gt|Lt ; How the key relates to the values.
  values: []string list=atomic ; The values; one integer for Gt and Lt, none for Exists and DoesNotExist.

PreferredSchedulingTerm ; A weighted node preference.
  weight!: int32 ; The weight, 1 to 100, added to a node's score when the term matches.
  preference!: NodeSelectorTerm ; The term.

PodAffinity ; Pods to be scheduled near.
  requiredDuringSchedulingIgnoredDuringExecution: []PodAffinityTerm list=atomic ; Terms that must all hold for a node to be considered.
  preferredDuringSchedulingIgnoredDuringExecution: []WeightedPodAffinityTerm list=atomic ; Weighted preferences among the nodes that fit.

PodAntiAffinity copy=PodAffinity ; Pods to be scheduled away from.

PodAffinityTerm ; Pods in a topology domain that this pod is placed with or away from.
  labelSelector: meta.v1.LabelSelector ; The pods the term is about.
  namespaces: []string list=atomic ; Namespaces of those pods; the pod's own when this and namespaceSelector are empty.
  topologyKey!: string ; The node label whose value defines a topology domain.
  namespaceSelector: meta.v1.LabelSelector ; Namespaces of those pods, by label; {} selects all.
  matchLabelKeys: []string list=atomic ; Labels of the incoming pod whose values are added to labelSelector as In requirements.
  mismatchLabelKeys: []string list=atomic ; Labels of the incoming pod whose values are added to labelSelector as NotIn requirements.

WeightedPodAffinityTerm ; A weighted pod (anti-)affinity preference.
  weight!: int32 ; The weight, 1 to 100.
  podAffinityTerm!: PodAffinityTerm ; The term.

Toleration ; A node taint the pod tolerates.
  key: string ; The taint key; empty with Exists matches every taint.
  operator: string enum=Exists|Equal ; How the key relates to the value; Equal when unset.
  value: string ; The taint value to match with Equal.
  effect: string enum=NoSchedule|PreferNoSchedule|NoExecute ; The taint effect to match; all effects when empty.
  tolerationSeconds: int64 ; For NoExecute: how long the pod stays bound after the taint appears.

HostAlias ; An /etc/hosts entry.
  ip!: string ; The IP address.
  hostnames: []string list=atomic ; Host names for the address.

PodDNSConfig ; DNS resolver settings of a pod.
  nameservers: []string list=atomic ; Name server addresses, added to those of dnsPolicy.
  searches: []string list=atomic ; Search domains, added to those of dnsPolicy.
  options: []PodDNSConfigOption list=atomic ; Resolver options; they replace those of dnsPolicy with the same name.

PodDNSConfigOption ; A resolver option.
  name: string ; The option's name.
  value: string ; The option's value.

PodReadinessGate ; A pod condition the pod's readiness depends on.
  conditionType!: string ; The condition type.

TopologySpreadConstraint ; How matching pods spread across topology domains.
  maxSkew!: int32 ; The largest allowed difference in matching pods between two domains.
  topologyKey!: string ; The node label whose value defines a domain.
  whenUnsatisfiable!: string enum=DoNotSchedule|ScheduleAnyway ; What to do with a pod that would break the constraint.
  labelSelector: meta.v1.LabelSelector ; The pods to count.
  minDomains: int32 ; The fewest eligible domains; fewer count as having zero matching pods.
  nodeAffinityPolicy: string enum=Honor|Ignore ; Whether the pod's node affinity limits the domains considered.
  nodeTaintsPolicy: string enum=Honor|Ignore ; Whether node taints limit the domains considered.
  matchLabelKeys: []string list=atomic ; Labels of the incoming pod whose values narrow labelSelector.

PodOS ; The operating system of a pod.
  name!: string enum=linux|windows ; The operating system's name.

PodSchedulingGate ; A gate that keeps a pod from being scheduled.
  name!: string ; The gate's name.

PodResourceClaim ; A dynamically allocated resource a pod uses.
  name!: string ; The name containers refer to in resources.claims.
  resourceClaimName: string ; An existing ResourceClaim in the pod's namespace.
  resourceClaimTemplateName: string ; A ResourceClaimTemplate from which a claim is made for this pod.

LocalObjectReference atomic ; A reference to an object in the same namespace.
  name: string ; The object's name.

ObjectReference atomic ; A reference to an object of any kind.
  kind: string ; The object's kind.
  namespace: string ; The object's namespace.
  name: string ; The object's name.
  uid: string ; The object's uid.
  apiVersion: string ; The object's API version.
  resourceVersion: string ; The version of the object the reference was made from.
  fieldPath: string ; A field within the object, e.g. spec.containers{name}.

TypedLocalObjectReference atomic ; A reference to an object of a given kind in the same namespace.
  apiGroup: string ; The kind's group; empty for the core group.
  kind!: string ; The object's kind.
  name!: string ; The object's name.

TypedObjectReference ; A reference to an object of a given kind, maybe in another namespace.
  apiGroup: string ; The kind's group; empty for the core group.
  kind!: string ; The object's kind.
  name!: string ; The object's name.
  namespace: string ; The object's namespace; the referrer's when unset.

SecretReference atomic ; A reference to a secret in any namespace.
  name: string ; The secret's name.
  namespace: string ; The secret's namespace.

PodStatus ; The observed state of a pod.
  phase: string enum=Pending|Running|Succeeded|Failed|Unknown ; Where the pod is in its lifecycle.
  conditions: []PodCondition merge=type ; The pod's current conditions.
  message: string ; Why the pod is in this state, for people.
  reason: string ; Why the pod is in this state, in CamelCase, e.g. Evicted.
  nominatedNodeName: string ; The node a preempting pod is expected to run on.
  hostIP: string ; The primary IP of the node the pod runs on.
  hostIPs: []HostIP merge=ip list=atomic ; The IPs of the node the pod runs on.
  podIP: string ; The pod's primary IP.
  podIPs: []PodIP merge=ip ; The pod's IPs, at most one per family.
  startTime: time ; When the kubelet accepted the pod.
  initContainerStatuses: []ContainerStatus list=atomic ; The state of each init container.
  containerStatuses: []ContainerStatus list=atomic ; The state of each app container.
  qosClass: string enum=Guaranteed|Burstable|BestEffort ; The quality-of-service class its resources give the pod.
  ephemeralContainerStatuses: []ContainerStatus list=atomic ; The state of each ephemeral container.
  resourceClaimStatuses: []PodResourceClaimStatus merge=name retainkeys list=map keys=name ; The ResourceClaims made for the pod's claim templates.

PodCondition ; One aspect of a pod's state.
  type!: string ; The aspect, e.g. Ready or PodScheduled.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastProbeTime: time ; When the condition was last checked.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

HostIP ; An IP of a pod's node.
  ip!: string ; The address.

PodIP ; An IP of a pod.
  ip!: string ; The address.

ContainerStatus ; The state of one container.
  name!: string ; The container's name.
  state: ContainerState ; What the container is doing now.
  lastState: ContainerState ; How the container's previous run ended.
  ready!: bool ; Whether the container passes its readiness probe.
  restartCount!: int32 ; How often the container has been restarted.
  image!: string ; The image the container runs.
  imageID!: string ; The ID (digest) of the image the container runs.
  containerID: string ; The runtime's ID of the container, as <runtime>://<id>.
  started: bool ; Whether the container has started and passed its startup probe.
  volumeMounts: []VolumeMountStatus merge=mountPath ; The container's mounts as they are.

ContainerState ; The state of a container; exactly one is set.
  waiting: ContainerStateWaiting ; Not running yet.
  running: ContainerStateRunning ; Running.
  terminated: ContainerStateTerminated ; Exited.

ContainerStateWaiting ; A container that is not running yet.
  reason: string ; Why, e.g. ContainerCreating or CrashLoopBackOff.
  message: string ; Why, for people.

ContainerStateRunning ; A running container.
  startedAt: time ; When the container last started.

ContainerStateTerminated ; A container that exited.
  exitCode!: int32 ; The exit status.
  signal: int32 ; The signal that ended the process, if any.
  reason: string ; Why, e.g. Completed, Error or OOMKilled.
  message: string ; Why, for people.
  startedAt: time ; When the run began.
  finishedAt: time ; When the run ended.
  containerID: string ; The runtime's ID of that run.

VolumeMountStatus ; A mount of a container, as it is.
  name!: string ; The volume's name.
  mountPath!: string ; The path in the container.
  readOnly: bool ; Whether the mount is read-only.
  recursiveReadOnly: string ; Whether submounts are read-only too: Disabled or Enabled.

PodResourceClaimStatus ; The ResourceClaim made for one of a pod's claim templates.
  name!: string ; The entry of the pod's resourceClaims.
  resourceClaimName: string ; The claim made for it; unset when none was needed.
)schema";

}  // namespace skiff::api::schema_text
