// Schema text of meta.k8s.io/v1: the metadata, selectors and conditions every group shares.
// The format is described in builtin_schemas.cpp.
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kMeta;
const std::string_view kMeta = R"schema(
package meta.v1

ObjectMeta ; Identity and bookkeeping every stored object carries: name, namespace, labels, owners, versions and timestamps.
  name: string ; Unique within the namespace (or the cluster) and the kind; cannot be changed.
  generateName: string ; A prefix the server completes into a unique name when no name is given.
  namespace: string ; The namespace of a namespaced object; empty for cluster-wide objects.
  selfLink: string ; Deprecated and never set.
  uid: string ; Unique for the object's whole lifetime; set by the server.
  resourceVersion: string ; Opaque version of this state, for optimistic concurrency and watches.
  generation: int64 ; Bumped by the server on every change of the desired state.
  creationTimestamp: time ; When the server first stored the object.
  deletionTimestamp: time ; When deletion was requested; set by the server, never by clients.
  deletionGracePeriodSeconds: int64 ; The grace period of a pending deletion, in seconds.
  labels: {}string ; Key-value pairs used to select and group objects.
  annotations: {}string ; Key-value pairs for tools and people; never used for selection.
  ownerReferences: []OwnerReference merge=uid list=map keys=uid ; Objects this one depends on, for garbage collection.
  finalizers: []string merge list=set ; Keys that must all be removed before the object is deleted.
  managedFields: []ManagedFieldsEntry list=atomic ; Which manager owns which fields, as server-side apply tracks them.

OwnerReference atomic ; An object that owns this one.
  apiVersion!: string ; The owner's API version.
  kind!: string ; The owner's kind.
  name!: string ; The owner's name.
  uid!: string ; The owner's uid.
  controller: bool ; Whether this owner is the managing controller; at most one owner may be.
  blockOwnerDeletion: bool ; Whether the owner's foreground deletion waits for this object.

ManagedFieldsEntry ; The fields one manager set with one operation.
  manager: string ; The name of the manager, usually the client's field manager.
  operation: string enum=Apply|Update ; The kind of request that set the fields.
  apiVersion: string ; The API version the fields are expressed in.
  time: time ; When the manager last changed these fields.
  fieldsType: string ; The format of fieldsV1; always FieldsV1.
  fieldsV1: object ; The set of fields, as a trie of field names.
  subresource: string ; The subresource the request went to, if any.

LabelSelector atomic ; A label query: all of its terms must match.
  matchLabels: {}string ; Labels that must have exactly these values.
  matchExpressions: []LabelSelectorRequirement list=atomic ; Further requirements on label keys and values.

LabelSelectorRequirement ; One requirement on a label key.
  key!: string ; The label key the requirement applies to.
  operator!: string ; How the key relates to the values: In, NotIn, Exists or DoesNotExist.
  values: []string list=atomic ; The values for In and NotIn; empty for Exists and DoesNotExist.

Condition ; One aspect of an object's observed state.
  type!: string ; The aspect, in CamelCase, e.g. Available.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  observedGeneration: int64 ; The object generation the condition was computed from.
  lastTransitionTime!: time ; When the status last changed.
  reason!: string ; Why the status last changed, in CamelCase, for programs.
  message!: string ; Why the status last changed, for people.

DeleteOptions ; How a delete request is carried out.
  apiVersion: string ; The group and version of this object's schema.
  kind: string ; DeleteOptions.
  gracePeriodSeconds: int64 ; Seconds to wait before the object is removed; 0 removes it at once.
  preconditions: Preconditions ; The delete goes ahead only if these still match.
  orphanDependents: bool ; Deprecated: use propagationPolicy.
  propagationPolicy: string enum=Orphan|Background|Foreground ; What happens to the objects this one owns.
  dryRun: []string list=atomic ; With All, nothing is deleted for real.

Preconditions ; Conditions an object must meet for an operation to go ahead.
  uid: string ; The uid the object must have.
  resourceVersion: string ; The resource version the object must have.
)schema";

}  // namespace skiff::api::schema_text
