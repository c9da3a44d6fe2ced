// Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown) decoded into the JSON object
// the JSON encoding of the same Go object gives, for the kinds typed kubectl commands send.
#pragma once

#include <string_view>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::api {

/// The Content-Type of Kubernetes' protobuf encoding.
inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

/// True when `body` starts with the 4-byte "k8s\0" magic of the protobuf envelope.
bool is_protobuf_envelope(std::string_view body);

/// Decodes a protobuf request body into the JSON object the JSON path would have received:
/// "kind" and "apiVersion" from the envelope first, then the object's fields as Go's
/// encoding/json writes that type — a field is left out exactly when its Go tag says omitempty
/// and the Go value is empty (zero scalar, nil pointer, empty slice or map); structs are always
/// written (`"spec":{}`), nil slices and pointers without omitempty are written as null
/// (ClusterRole `"rules":null`), and maps come out with sorted keys. One deliberate difference:
/// a zero metav1.Time/MicroTime with omitempty (`creationTimestamp`) is left out instead of
/// written as null, which every reader treats alike. Bytes are base64, Quantities canonical
/// strings, IntOrString a number or a string, Time RFC 3339 in UTC, MicroTime with
/// microseconds. Fields this decoder does not describe are skipped (as an older server would);
/// string bytes that are not UTF-8 become U+FFFD, one per bad byte, as encoding/json writes them.
///
/// Kinds: v1 Namespace, ConfigMap, Secret, Service, ServiceAccount, ResourceQuota, Pod, Event;
/// DeleteOptions (any apiVersion); apps/v1 Deployment; batch/v1 Job, CronJob;
/// rbac.authorization.k8s.io/v1 Role, RoleBinding, ClusterRole, ClusterRoleBinding;
/// networking.k8s.io/v1 Ingress; policy/v1 PodDisruptionBudget, Eviction (and v1beta1
/// Eviction); scheduling.k8s.io/v1 PriorityClass; autoscaling/v1 HorizontalPodAutoscaler;
/// certificates.k8s.io/v1 CertificateSigningRequest; coordination.k8s.io/v1 Lease;
/// authentication.k8s.io/v1 TokenRequest, SelfSubjectReview (also v1beta1, v1alpha1);
/// authorization.k8s.io/v1 SelfSubjectAccessReview, SelfSubjectRulesReview.
///
/// Failures: UnsupportedMediaType (415) naming the kind when the envelope names a kind not in
/// that list or a content encoding; BadRequest (400) "invalid protobuf body: <field path>:
/// <problem>" for a missing magic, truncated or malformed wire data, a wire type that does not
/// fit the field, an invalid quantity or IntOrString type, out-of-range times, or no kind.
base::Result<boost::json::value> decode_protobuf(std::string_view body);

}  // namespace skiff::api
