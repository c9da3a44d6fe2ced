// Schema text of apps/v1, batch/v1 and autoscaling/v1. The format is described in
// builtin_schemas.cpp.
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kWorkloads;
const std::string_view kWorkloads = R"schema(
package apps.v1

Deployment kind ; Declarative updates of a set of identical pods, through ReplicaSets.
  spec: DeploymentSpec ; The desired state of the deployment.
  status: DeploymentStatus ; The observed state of the deployment.

DeploymentSpec ; The desired state of a deployment.
  replicas: int32 default=1 ; How many pods to run.
  selector!: meta.v1.LabelSelector ; Labels of the pods it manages; must match the template's and cannot change.
  template!: core.v1.PodTemplateSpec ; The pods it creates; its restartPolicy must be Always.
  strategy: DeploymentStrategy retainkeys default={"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}} ; How old pods are replaced by new ones.
  minReadySeconds: int32 ; Seconds a new pod must be ready to count as available.
  revisionHistoryLimit: int32 default=10 ; How many old ReplicaSets to keep for rollback.
  paused: bool ; Whether rollouts are paused.
  progressDeadlineSeconds: int32 default=600 ; Seconds without progress after which the rollout is reported as failed.

DeploymentStrategy ; How a deployment replaces pods.
  type: string enum=Recreate|RollingUpdate default="RollingUpdate" ; Recreate kills all old pods first; RollingUpdate replaces them gradually.
  rollingUpdate: RollingUpdateDeployment ; Settings of a rolling update.

RollingUpdateDeployment ; Settings of a rolling update of a deployment.
  maxUnavailable: ios default="25%" ; How many pods, or what percentage, may be unavailable during the update.
  maxSurge: ios default="25%" ; How many pods, or what percentage, may exist beyond replicas during the update.

DeploymentStatus ; The observed state of a deployment.
  observedGeneration: int64 ; The generation last acted on.
  replicas: int32 ; How many pods there are.
  updatedReplicas: int32 ; How many pods run the current template.
  readyReplicas: int32 ; How many pods are ready.
  availableReplicas: int32 ; How many pods have been ready for minReadySeconds.
  unavailableReplicas: int32 ; How many more pods are needed for all to be available.
  conditions: []DeploymentCondition merge=type ; The current conditions, e.g. Available and Progressing.
  collisionCount: int32 ; Bumped to make a new ReplicaSet name when a hash collides.

DeploymentCondition ; One aspect of a deployment's state.
  type!: string ; The aspect, e.g. Available or Progressing.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastUpdateTime: time ; When the condition was last updated.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

ReplicaSet kind ; Keeps a number of identical pods running; usually managed by a Deployment.
  spec: ReplicaSetSpec ; The desired state of the replica set.
  status: ReplicaSetStatus ; The observed state of the replica set.

ReplicaSetSpec ; The desired state of a replica set.
  replicas: int32 default=1 ; How many pods to run.
  minReadySeconds: int32 ; Seconds a new pod must be ready to count as available.
  selector!: meta.v1.LabelSelector ; Labels of the pods it manages; must match the template's.
  template: core.v1.PodTemplateSpec ; The pods it creates.

ReplicaSetStatus ; The observed state of a replica set.
  replicas!: int32 ; How many pods there are.
  fullyLabeledReplicas: int32 ; How many pods carry all of the template's labels.
  readyReplicas: int32 ; How many pods are ready.
  availableReplicas: int32 ; How many pods have been ready for minReadySeconds.
  observedGeneration: int64 ; The generation last acted on.
  conditions: []ReplicaSetCondition merge=type ; The current conditions.

ReplicaSetCondition ; One aspect of a replica set's state.
  type!: string ; The aspect, e.g. ReplicaFailure.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

DaemonSet kind ; Runs a copy of a pod on every node, or every node that matches.
  spec: DaemonSetSpec ; The desired state of the daemon set.
  status: DaemonSetStatus ; The observed state of the daemon set.

DaemonSetSpec ; The desired state of a daemon set.
  selector!: meta.v1.LabelSelector ; Labels of the pods it manages; must match the template's.
  template!: core.v1.PodTemplateSpec ; The pods it creates; its restartPolicy must be Always.
  updateStrategy: DaemonSetUpdateStrategy default={"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}} ; How old pods are replaced when the template changes.
  minReadySeconds: int32 ; Seconds a new pod must be ready to count as available.
  revisionHistoryLimit: int32 default=10 ; How many old revisions to keep for rollback.

DaemonSetUpdateStrategy ; How a daemon set replaces pods.
  type: string enum=RollingUpdate|OnDelete default="RollingUpdate" ; RollingUpdate replaces pods gradually; OnDelete only when they are deleted.
  rollingUpdate: RollingUpdateDaemonSet ; Settings of a rolling update.

RollingUpdateDaemonSet ; Settings of a rolling update of a daemon set.
  maxUnavailable: ios default=1 ; How many nodes, or what percentage, may lack an available pod during the update.
  maxSurge: ios default=0 ; How many nodes, or what percentage, may run an old and a new pod at once.

DaemonSetStatus ; The observed state of a daemon set.
  currentNumberScheduled!: int32 ; How many nodes run a pod and should.
  numberMisscheduled!: int32 ; How many nodes run a pod but should not.
  desiredNumberScheduled!: int32 ; How many nodes should run a pod.
  numberReady!: int32 ; How many nodes run a ready pod.
  observedGeneration: int64 ; The generation last acted on.
  updatedNumberScheduled: int32 ; How many nodes run a pod of the current template.
  numberAvailable: int32 ; How many nodes run a pod that has been ready for minReadySeconds.
  numberUnavailable: int32 ; How many nodes should run an available pod but do not.
  collisionCount: int32 ; Bumped to make a new revision name when a hash collides.
  conditions: []DaemonSetCondition merge=type ; The current conditions.

DaemonSetCondition ; One aspect of a daemon set's state.
  type!: string ; The aspect.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

StatefulSet kind ; Pods with stable names and storage, created and updated in order.
  spec: StatefulSetSpec ; The desired state of the stateful set.
  status: StatefulSetStatus ; The observed state of the stateful set.

StatefulSetSpec ; The desired state of a stateful set.
  replicas: int32 default=1 ; How many pods to run.
  selector!: meta.v1.LabelSelector ; Labels of the pods it manages; must match the template's.
  template!: core.v1.PodTemplateSpec ; The pods it creates, named <set>-<ordinal>.
  volumeClaimTemplates: []core.v1.PersistentVolumeClaim list=atomic ; Claims made for every pod and mounted by name.
  serviceName: string ; The headless service that gives the pods their DNS names.
  podManagementPolicy: string enum=OrderedReady|Parallel default="OrderedReady" ; Whether pods are created and deleted one at a time, in order.
  updateStrategy: StatefulSetUpdateStrategy default={"type":"RollingUpdate","rollingUpdate":{"partition":0}} ; How pods are replaced when the template changes.
  revisionHistoryLimit: int32 default=10 ; How many old revisions to keep for rollback.
  minReadySeconds: int32 ; Seconds a new pod must be ready to count as available.
  persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy default={"whenDeleted":"Retain","whenScaled":"Retain"} ; What happens to the claims when the set is deleted or scaled down.
  ordinals: StatefulSetOrdinals ; The numbering of the pods.

StatefulSetUpdateStrategy ; How a stateful set replaces pods.
  type: string enum=RollingUpdate|OnDelete default="RollingUpdate" ; RollingUpdate replaces pods in reverse order; OnDelete only when they are deleted.
  rollingUpdate: RollingUpdateStatefulSetStrategy ; Settings of a rolling update.

RollingUpdateStatefulSetStrategy ; Settings of a rolling update of a stateful set.
  partition: int32 default=0 ; Only pods with this ordinal or higher are updated.

StatefulSetPersistentVolumeClaimRetentionPolicy ; What happens to a stateful set's claims.
  whenDeleted: string enum=Retain|Delete default="Retain" ; When the set is deleted.
  whenScaled: string enum=Retain|Delete default="Retain" ; When the set is scaled down.

StatefulSetOrdinals ; The numbering of a stateful set's pods.
  start: int32 ; The first ordinal.

StatefulSetStatus ; The observed state of a stateful set.
  observedGeneration: int64 ; The generation last acted on.
  replicas!: int32 ; How many pods there are.
  readyReplicas: int32 ; How many pods are ready.
  currentReplicas: int32 ; How many pods run the currentRevision.
  updatedReplicas: int32 ; How many pods run the updateRevision.
  currentRevision: string ; The revision of pods before the current update.
  updateRevision: string ; The revision pods are updated to.
  collisionCount: int32 ; Bumped to make a new revision name when a hash collides.
  conditions: []StatefulSetCondition merge=type ; The current conditions.
  availableReplicas: int32 ; How many pods have been ready for minReadySeconds.

StatefulSetCondition ; One aspect of a stateful set's state.
  type!: string ; The aspect.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

ControllerRevision kind ; An immutable snapshot of state a controller can roll back to.
  data: object ; The snapshot, in the owner's format.
  revision!: int64 ; The revision number.

package batch.v1

Job kind ; Runs pods until a number of them complete.
  spec: JobSpec ; The desired state of the job.
  status: JobStatus ; The observed state of the job.

JobSpec ; The desired state of a job.
  parallelism: int32 ; How many pods may run at once; 1 for a Job when unset.
  completions: int32 ; How many pods must succeed; unset means any success completes the job.
  activeDeadlineSeconds: int64 ; Seconds the job may be active before it is failed.
  podFailurePolicy: PodFailurePolicy ; How failed pods count against backoffLimit.
  successPolicy: SuccessPolicy ; When an Indexed job counts as succeeded before all indexes do.
  backoffLimit: int32 ; Retries before the job is failed; 6 for a Job when unset.
  backoffLimitPerIndex: int32 ; For Indexed jobs: retries per index before the index fails.
  maxFailedIndexes: int32 ; For Indexed jobs with backoffLimitPerIndex: failed indexes before the job fails.
  selector: meta.v1.LabelSelector ; Labels of the pods it manages; generated unless manualSelector.
  manualSelector: bool ; Whether the selector is set by the user instead of generated.
  template!: core.v1.PodTemplateSpec ; The pods it creates; restartPolicy must be OnFailure or Never.
  ttlSecondsAfterFinished: int32 ; Seconds after the job finishes before it is deleted.
  completionMode: string enum=NonIndexed|Indexed ; Whether pods get a completion index; NonIndexed for a Job when unset.
  suspend: bool ; Whether the job's pods are deleted and no more are created.
  podReplacementPolicy: string enum=TerminatingOrFailed|Failed ; Whether replacements wait for failed pods to be fully terminated.
  managedBy: string ; The controller that syncs the job; the built-in one when unset.

PodFailurePolicy ; How a job handles pod failures.
  rules!: []PodFailurePolicyRule list=atomic ; Rules tried in order; the first match decides.

PodFailurePolicyRule ; What to do with a pod failure that matches.
  action!: string enum=FailJob|FailIndex|Ignore|Count ; What to do.
  onExitCodes: PodFailurePolicyOnExitCodesRequirement ; Matches by container exit codes.
  onPodConditions: []PodFailurePolicyOnPodConditionsPattern list=atomic ; Matches by pod conditions.

PodFailurePolicyOnExitCodesRequirement ; A match on container exit codes.
  containerName: string ; The container whose exit code is checked; all when unset.
  operator!: string enum=In|NotIn ; Whether the exit code must or must not be one of the values.
  values!: []int32 list=set ; The exit codes.

PodFailurePolicyOnPodConditionsPattern ; A match on a pod condition.
  type!: string ; The condition type, e.g. DisruptionTarget.
  status: string enum=True|False|Unknown ; The status the condition must have.

SuccessPolicy ; When an Indexed job counts as succeeded.
  rules!: []SuccessPolicyRule list=atomic ; Rules; the first one met makes the job succeed.

SuccessPolicyRule ; A set of indexes that must succeed.
  succeededIndexes: string ; Indexes that must succeed, e.g. 1,3-5.
  succeededCount: int32 ; How many of those indexes must succeed.

JobStatus ; The observed state of a job.
  conditions: []JobCondition merge=type list=atomic ; The current conditions, e.g. Complete or Failed.
  startTime: time ; When the job controller started the job.
  completionTime: time ; When the job completed.
  active: int32 ; How many pods are pending or running.
  succeeded: int32 ; How many pods succeeded.
  failed: int32 ; How many pods failed.
  terminating: int32 ; How many pods are terminating.
  completedIndexes: string ; For Indexed jobs: the indexes that succeeded, e.g. 1,3-5.
  failedIndexes: string ; For Indexed jobs with backoffLimitPerIndex: the indexes that failed.
  uncountedTerminatedPods: UncountedTerminatedPods ; Finished pods not yet counted in succeeded or failed.
  ready: int32 ; How many pods are ready.

JobCondition ; One aspect of a job's state.
  type!: string ; The aspect, e.g. Complete, Failed or Suspended.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastProbeTime: time ; When the condition was last checked.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

UncountedTerminatedPods ; Finished pods of a job that are not counted yet.
  succeeded: []string list=set ; Uids of pods that succeeded.
  failed: []string list=set ; Uids of pods that failed.

CronJob kind ; Creates jobs on a schedule.
  spec: CronJobSpec ; The desired state of the cron job.
  status: CronJobStatus ; The observed state of the cron job.

CronJobSpec ; The desired state of a cron job.
  schedule!: string ; When to run, in cron syntax.
  timeZone: string ; The time zone of the schedule, e.g. Europe/Berlin; the controller's when unset.
  startingDeadlineSeconds: int64 ; Seconds after a missed start time that the job may still start.
  concurrencyPolicy: string enum=Allow|Forbid|Replace default="Allow" ; What to do when the previous job still runs.
  suspend: bool default=false ; Whether new jobs are not created.
  jobTemplate!: JobTemplateSpec ; The jobs it creates.
  successfulJobsHistoryLimit: int32 default=3 ; How many succeeded jobs to keep.
  failedJobsHistoryLimit: int32 default=1 ; How many failed jobs to keep.

JobTemplateSpec ; The metadata and spec of jobs created from a template.
  metadata: meta.v1.ObjectMeta ; Labels, annotations and other metadata of the jobs.
  spec: JobSpec ; The desired state of the jobs.

CronJobStatus ; The observed state of a cron job.
  active: []core.v1.ObjectReference list=atomic ; The jobs that run now.
  lastScheduleTime: time ; When a job was last scheduled.
  lastSuccessfulTime: time ; When a job last succeeded.

package autoscaling.v1

HorizontalPodAutoscaler kind ; Scales a workload by its pods' CPU use.
  spec: HorizontalPodAutoscalerSpec ; The desired behaviour of the autoscaler.
  status: HorizontalPodAutoscalerStatus ; The observed state of the autoscaler.

HorizontalPodAutoscalerSpec ; The desired behaviour of an autoscaler.
  scaleTargetRef!: CrossVersionObjectReference ; The workload to scale; it must have a scale subresource.
  minReplicas: int32 default=1 ; The fewest replicas.
  maxReplicas!: int32 ; The most replicas.
  targetCPUUtilizationPercentage: int32 ; The average CPU use to aim for, as a percentage of requests.

CrossVersionObjectReference atomic ; A reference to an object of any group version.
  kind!: string ; The object's kind.
  name!: string ; The object's name.
  apiVersion: string ; The object's API version.

HorizontalPodAutoscalerStatus ; The observed state of an autoscaler.
  observedGeneration: int64 ; The generation last acted on.
  lastScaleTime: time ; When the workload was last scaled.
  currentReplicas!: int32 ; How many replicas there are.
  desiredReplicas!: int32 ; How many replicas the autoscaler wants.
  currentCPUUtilizationPercentage: int32 ; The current average CPU use, as a percentage of requests.

Scale kind ; The replica count of a scalable object, read and written through its scale subresource.
  spec: ScaleSpec ; The desired replica count.
  status: ScaleStatus ; The current replica count.

ScaleSpec ; The desired replica count.
  replicas: int32 ; How many replicas to run.

ScaleStatus ; The current replica count.
  replicas!: int32 ; How many replicas there are.
  selector: string ; The label selector of the pods, in query string form.
)schema";

}  // namespace skiff::api::schema_text
