// Kubernetes protobuf bodies to JSON: a wire reader, message tables in Go field order with each
// field's number, JSON name and Go tag semantics, and the envelope's kind registry.
#include "skiff/api/protobuf.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "skiff/api/quantity.h"
#include "skiff/base/json.h"

namespace skiff::api {
namespace {

namespace json = boost::json;
using base::Result;
using base::Status;

// Deeper than any table below nests; bounds group skipping in hostile input.
constexpr int kMaxDepth = 64;
constexpr std::uint64_t kMaxFieldNumber = (1U << 29) - 1;
constexpr std::string_view kMagic{"k8s\0", 4};

// ---------------------------------------------------------------------------------------------
// Wire format

enum Wire : std::uint32_t {
    kVarint = 0,
    kFixed64 = 1,
    kLen = 2,
    kStartGroup = 3,
    kEndGroup = 4,
    kFixed32 = 5,
};

// Reads one protobuf message's bytes; each read returns nullptr or what was wrong.
class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}

    bool done() const { return pos_ == data_.size(); }

    const char* varint(std::uint64_t& out) {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ == data_.size()) {
                return "truncated varint";
            }
            auto b = static_cast<std::uint8_t>(data_[pos_++]);
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (b < 0x80) {
                out = v;
                return nullptr;
            }
        }
        return "varint longer than 10 bytes";
    }

    const char* bytes(std::string_view& out) {
        std::uint64_t n = 0;
        if (const char* e = varint(n)) {
            return e;
        }
        if (n > data_.size() - pos_) {
            return "length exceeds the remaining bytes";
        }
        out = data_.substr(pos_, n);
        pos_ += n;
        return nullptr;
    }

    // Reads a tag; the field number is checked here, the wire type by the caller.
    const char* tag(std::uint64_t& number, std::uint32_t& wire) {
        std::uint64_t key = 0;
        if (const char* e = varint(key)) {
            return e;
        }
        number = key >> 3;
        wire = static_cast<std::uint32_t>(key & 7);
        if (number == 0 || number > kMaxFieldNumber) {
            return "invalid field number";
        }
        return nullptr;
    }

    // Skips the value of a field this decoder does not describe.
    const char* skip(std::uint32_t wire, std::uint64_t number, int depth) {
        switch (wire) {
            case kVarint: {
                std::uint64_t v = 0;
                return varint(v);
            }
            case kFixed64:
                return advance(8);
            case kLen: {
                std::string_view s;
                return bytes(s);
            }
            case kFixed32:
                return advance(4);
            case kStartGroup:
                return skip_group(number, depth);
            case kEndGroup:
                return "unexpected end-group tag";
            default:
                return "invalid wire type";
        }
    }

private:
    const char* advance(std::size_t n) {
        if (n > data_.size() - pos_) {
            return "truncated fixed-width value";
        }
        pos_ += n;
        return nullptr;
    }

    const char* skip_group(std::uint64_t number, int depth) {
        if (depth >= kMaxDepth) {
            return "groups nested too deeply";
        }
        for (;;) {
            if (done()) {
                return "unterminated group";
            }
            std::uint64_t inner = 0;
            std::uint32_t wire = 0;
            if (const char* e = tag(inner, wire)) {
                return e;
            }
            if (wire == kEndGroup) {
                return inner == number ? nullptr : "mismatched end-group tag";
            }
            if (const char* e = skip(wire, inner, depth + 1)) {
                return e;
            }
        }
    }

    std::string_view data_;
    std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Message tables

// What a field holds on the wire and how its JSON looks.
enum class T : std::uint8_t {
    String,
    Bytes,  // base64 in JSON
    Int32,
    Int64,
    Bool,
    Message,      // a nested message, described by Field::message
    Inline,       // a Go embedded struct (json:",inline"): its fields join the parent object
    Time,         // metav1.Time {1 seconds, 2 nanos}: RFC 3339 seconds, nanos dropped
    MicroTime,    // metav1.MicroTime: RFC 3339 with microseconds
    Quantity,     // resource.Quantity {1 string}: canonical string
    IntOrString,  // intstr.IntOrString {1 type, 2 intVal, 3 strVal}
    Raw,          // runtime.RawExtension, metav1.FieldsV1 {1 bytes}: the bytes are JSON
    Strings,      // a message {1 repeated string} whose Go type is []string (ExtraValue)
};

// Go tag semantics. A field without kPointer is a Go value: structs always written, scalars
// left out only with omitempty when zero. Slices and maps are written unless empty with
// omitempty; empty without omitempty they are Go nil slices/maps, written as null.
enum : std::uint8_t {
    kOmit = 1,      // omitempty
    kPointer = 2,   // written whenever set, even to a zero value
    kRepeated = 4,  // a slice
    kMap = 8,       // map[string]<type>: repeated entries {1 key, 2 value}
};
constexpr std::uint8_t kPtr = kPointer | kOmit;
constexpr std::uint8_t kList = kRepeated | kOmit;
constexpr std::uint8_t kListNull = kRepeated;
constexpr std::uint8_t kMapOmit = kMap | kOmit;

struct Message;

struct Field {
    std::uint32_t number;
    std::string_view json;
    T type;
    std::uint8_t flags = 0;
    const Message* message = nullptr;
};

struct Message {
    std::string_view name;
    std::span<const Field> fields;  // in Go struct order, which is the JSON order
};

// The tables keep one field per line, which clang-format would pack into columns.
// clang-format off

// --- apimachinery meta/v1

constexpr Field kLabelSelectorRequirementF[] = {
    {1, "key", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kList},
};
constexpr Message kLabelSelectorRequirement{"LabelSelectorRequirement",
                                            kLabelSelectorRequirementF};

constexpr Field kLabelSelectorF[] = {
    {1, "matchLabels", T::String, kMapOmit},
    {2, "matchExpressions", T::Message, kList, &kLabelSelectorRequirement},
};
constexpr Message kLabelSelector{"LabelSelector", kLabelSelectorF};

constexpr Field kOwnerReferenceF[] = {
    {5, "apiVersion", T::String},
    {1, "kind", T::String},
    {3, "name", T::String},
    {4, "uid", T::String},
    {6, "controller", T::Bool, kPtr},
    {7, "blockOwnerDeletion", T::Bool, kPtr},
};
constexpr Message kOwnerReference{"OwnerReference", kOwnerReferenceF};

constexpr Field kManagedFieldsEntryF[] = {
    {1, "manager", T::String, kOmit},
    {2, "operation", T::String, kOmit},
    {3, "apiVersion", T::String, kOmit},
    {4, "time", T::Time, kPtr},
    {6, "fieldsType", T::String, kOmit},
    {7, "fieldsV1", T::Raw, kPtr},
    {8, "subresource", T::String, kOmit},
};
constexpr Message kManagedFieldsEntry{"ManagedFieldsEntry", kManagedFieldsEntryF};

constexpr Field kObjectMetaF[] = {
    {1, "name", T::String, kOmit},
    {2, "generateName", T::String, kOmit},
    {3, "namespace", T::String, kOmit},
    {4, "selfLink", T::String, kOmit},
    {5, "uid", T::String, kOmit},
    {6, "resourceVersion", T::String, kOmit},
    {7, "generation", T::Int64, kOmit},
    {8, "creationTimestamp", T::Time, kOmit},
    {9, "deletionTimestamp", T::Time, kPtr},
    {10, "deletionGracePeriodSeconds", T::Int64, kPtr},
    {11, "labels", T::String, kMapOmit},
    {12, "annotations", T::String, kMapOmit},
    {13, "ownerReferences", T::Message, kList, &kOwnerReference},
    {14, "finalizers", T::String, kList},
    {17, "managedFields", T::Message, kList, &kManagedFieldsEntry},
};
constexpr Message kObjectMeta{"ObjectMeta", kObjectMetaF};

constexpr Field kConditionF[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "observedGeneration", T::Int64, kOmit},
    {4, "lastTransitionTime", T::Time},
    {5, "reason", T::String},
    {6, "message", T::String},
};
constexpr Message kCondition{"Condition", kConditionF};

constexpr Field kPreconditionsF[] = {
    {1, "uid", T::String, kPtr},
    {2, "resourceVersion", T::String, kPtr},
};
constexpr Message kPreconditions{"Preconditions", kPreconditionsF};

constexpr Field kDeleteOptionsF[] = {
    {1, "gracePeriodSeconds", T::Int64, kPtr},
    {2, "preconditions", T::Message, kPtr, &kPreconditions},
    {3, "orphanDependents", T::Bool, kPtr},
    {4, "propagationPolicy", T::String, kPtr},
    {5, "dryRun", T::String, kList},
    {6, "ignoreStoreReadErrorWithClusterBreakingPotential", T::Bool, kPtr},
};
constexpr Message kDeleteOptions{"DeleteOptions", kDeleteOptionsF};

// --- core/v1: references and selectors

constexpr Field kLocalObjectReferenceF[] = {
    {1, "name", T::String, kOmit},
};
constexpr Message kLocalObjectReference{"LocalObjectReference", kLocalObjectReferenceF};

constexpr Field kObjectReferenceF[] = {
    {1, "kind", T::String, kOmit},
    {2, "namespace", T::String, kOmit},
    {3, "name", T::String, kOmit},
    {4, "uid", T::String, kOmit},
    {5, "apiVersion", T::String, kOmit},
    {6, "resourceVersion", T::String, kOmit},
    {7, "fieldPath", T::String, kOmit},
};
constexpr Message kObjectReference{"ObjectReference", kObjectReferenceF};

constexpr Field kTypedLocalObjectReferenceF[] = {
    {1, "apiGroup", T::String, kPointer},
    {2, "kind", T::String},
    {3, "name", T::String},
};
constexpr Message kTypedLocalObjectReference{"TypedLocalObjectReference",
                                             kTypedLocalObjectReferenceF};

constexpr Field kObjectFieldSelectorF[] = {
    {1, "apiVersion", T::String, kOmit},
    {2, "fieldPath", T::String},
};
constexpr Message kObjectFieldSelector{"ObjectFieldSelector", kObjectFieldSelectorF};

constexpr Field kResourceFieldSelectorF[] = {
    {1, "containerName", T::String, kOmit},
    {2, "resource", T::String},
    {3, "divisor", T::Quantity, kOmit},
};
constexpr Message kResourceFieldSelector{"ResourceFieldSelector", kResourceFieldSelectorF};

// ConfigMapKeySelector and SecretKeySelector have the same shape.
constexpr Field kKeySelectorF[] = {
    {1, "", T::Inline, 0, &kLocalObjectReference},
    {2, "key", T::String},
    {3, "optional", T::Bool, kPtr},
};
constexpr Message kKeySelector{"KeySelector", kKeySelectorF};

constexpr Field kEnvVarSourceF[] = {
    {1, "fieldRef", T::Message, kPtr, &kObjectFieldSelector},
    {2, "resourceFieldRef", T::Message, kPtr, &kResourceFieldSelector},
    {3, "configMapKeyRef", T::Message, kPtr, &kKeySelector},
    {4, "secretKeyRef", T::Message, kPtr, &kKeySelector},
};
constexpr Message kEnvVarSource{"EnvVarSource", kEnvVarSourceF};

constexpr Field kEnvVarF[] = {
    {1, "name", T::String},
    {2, "value", T::String, kOmit},
    {3, "valueFrom", T::Message, kPtr, &kEnvVarSource},
};
constexpr Message kEnvVar{"EnvVar", kEnvVarF};

// ConfigMapEnvSource and SecretEnvSource have the same shape.
constexpr Field kEnvSourceF[] = {
    {1, "", T::Inline, 0, &kLocalObjectReference},
    {2, "optional", T::Bool, kPtr},
};
constexpr Message kEnvSource{"EnvSource", kEnvSourceF};

constexpr Field kEnvFromSourceF[] = {
    {1, "prefix", T::String, kOmit},
    {2, "configMapRef", T::Message, kPtr, &kEnvSource},
    {3, "secretRef", T::Message, kPtr, &kEnvSource},
};
constexpr Message kEnvFromSource{"EnvFromSource", kEnvFromSourceF};

// --- core/v1: containers

constexpr Field kContainerPortF[] = {
    {1, "name", T::String, kOmit},
    {2, "hostPort", T::Int32, kOmit},
    {3, "containerPort", T::Int32},
    {4, "protocol", T::String, kOmit},
    {5, "hostIP", T::String, kOmit},
};
constexpr Message kContainerPort{"ContainerPort", kContainerPortF};

constexpr Field kResourceClaimF[] = {
    {1, "name", T::String},
    {2, "request", T::String, kOmit},
};
constexpr Message kResourceClaim{"ResourceClaim", kResourceClaimF};

constexpr Field kResourceRequirementsF[] = {
    {1, "limits", T::Quantity, kMapOmit},
    {2, "requests", T::Quantity, kMapOmit},
    {3, "claims", T::Message, kList, &kResourceClaim},
};
constexpr Message kResourceRequirements{"ResourceRequirements", kResourceRequirementsF};

constexpr Field kContainerResizePolicyF[] = {
    {1, "resourceName", T::String},
    {2, "restartPolicy", T::String},
};
constexpr Message kContainerResizePolicy{"ContainerResizePolicy", kContainerResizePolicyF};

constexpr Field kVolumeMountF[] = {
    {1, "name", T::String},
    {2, "readOnly", T::Bool, kOmit},
    {7, "recursiveReadOnly", T::String, kPtr},
    {3, "mountPath", T::String},
    {4, "subPath", T::String, kOmit},
    {5, "mountPropagation", T::String, kPtr},
    {6, "subPathExpr", T::String, kOmit},
};
constexpr Message kVolumeMount{"VolumeMount", kVolumeMountF};

constexpr Field kVolumeDeviceF[] = {
    {1, "name", T::String},
    {2, "devicePath", T::String},
};
constexpr Message kVolumeDevice{"VolumeDevice", kVolumeDeviceF};

constexpr Field kExecActionF[] = {
    {1, "command", T::String, kList},
};
constexpr Message kExecAction{"ExecAction", kExecActionF};

constexpr Field kHTTPHeaderF[] = {
    {1, "name", T::String},
    {2, "value", T::String},
};
constexpr Message kHTTPHeader{"HTTPHeader", kHTTPHeaderF};

constexpr Field kHTTPGetActionF[] = {
    {1, "path", T::String, kOmit},
    {2, "port", T::IntOrString},
    {3, "host", T::String, kOmit},
    {4, "scheme", T::String, kOmit},
    {5, "httpHeaders", T::Message, kList, &kHTTPHeader},
};
constexpr Message kHTTPGetAction{"HTTPGetAction", kHTTPGetActionF};

constexpr Field kTCPSocketActionF[] = {
    {1, "port", T::IntOrString},
    {2, "host", T::String, kOmit},
};
constexpr Message kTCPSocketAction{"TCPSocketAction", kTCPSocketActionF};

constexpr Field kGRPCActionF[] = {
    {1, "port", T::Int32},
    {2, "service", T::String, kPointer},
};
constexpr Message kGRPCAction{"GRPCAction", kGRPCActionF};

constexpr Field kProbeHandlerF[] = {
    {1, "exec", T::Message, kPtr, &kExecAction},
    {2, "httpGet", T::Message, kPtr, &kHTTPGetAction},
    {3, "tcpSocket", T::Message, kPtr, &kTCPSocketAction},
    {4, "grpc", T::Message, kPtr, &kGRPCAction},
};
constexpr Message kProbeHandler{"ProbeHandler", kProbeHandlerF};

constexpr Field kProbeF[] = {
    {1, "", T::Inline, 0, &kProbeHandler},
    {2, "initialDelaySeconds", T::Int32, kOmit},
    {3, "timeoutSeconds", T::Int32, kOmit},
    {4, "periodSeconds", T::Int32, kOmit},
    {5, "successThreshold", T::Int32, kOmit},
    {6, "failureThreshold", T::Int32, kOmit},
    {7, "terminationGracePeriodSeconds", T::Int64, kPtr},
};
constexpr Message kProbe{"Probe", kProbeF};

constexpr Field kSleepActionF[] = {
    {1, "seconds", T::Int64},
};
constexpr Message kSleepAction{"SleepAction", kSleepActionF};

constexpr Field kLifecycleHandlerF[] = {
    {1, "exec", T::Message, kPtr, &kExecAction},
    {2, "httpGet", T::Message, kPtr, &kHTTPGetAction},
    {3, "tcpSocket", T::Message, kPtr, &kTCPSocketAction},
    {4, "sleep", T::Message, kPtr, &kSleepAction},
};
constexpr Message kLifecycleHandler{"LifecycleHandler", kLifecycleHandlerF};

constexpr Field kLifecycleF[] = {
    {1, "postStart", T::Message, kPtr, &kLifecycleHandler},
    {2, "preStop", T::Message, kPtr, &kLifecycleHandler},
    {3, "stopSignal", T::String, kPtr},
};
constexpr Message kLifecycle{"Lifecycle", kLifecycleF};

constexpr Field kCapabilitiesF[] = {
    {1, "add", T::String, kList},
    {2, "drop", T::String, kList},
};
constexpr Message kCapabilities{"Capabilities", kCapabilitiesF};

constexpr Field kSELinuxOptionsF[] = {
    {1, "user", T::String, kOmit},
    {2, "role", T::String, kOmit},
    {3, "type", T::String, kOmit},
    {4, "level", T::String, kOmit},
};
constexpr Message kSELinuxOptions{"SELinuxOptions", kSELinuxOptionsF};

constexpr Field kWindowsSecurityContextOptionsF[] = {
    {1, "gmsaCredentialSpecName", T::String, kPtr},
    {2, "gmsaCredentialSpec", T::String, kPtr},
    {3, "runAsUserName", T::String, kPtr},
    {4, "hostProcess", T::Bool, kPtr},
};
constexpr Message kWindowsSecurityContextOptions{"WindowsSecurityContextOptions",
                                                 kWindowsSecurityContextOptionsF};

// SeccompProfile and AppArmorProfile have the same shape.
constexpr Field kProfileF[] = {
    {1, "type", T::String},
    {2, "localhostProfile", T::String, kPtr},
};
constexpr Message kProfile{"Profile", kProfileF};

constexpr Field kSecurityContextF[] = {
    {1, "capabilities", T::Message, kPtr, &kCapabilities},
    {2, "privileged", T::Bool, kPtr},
    {3, "seLinuxOptions", T::Message, kPtr, &kSELinuxOptions},
    {10, "windowsOptions", T::Message, kPtr, &kWindowsSecurityContextOptions},
    {4, "runAsUser", T::Int64, kPtr},
    {8, "runAsGroup", T::Int64, kPtr},
    {5, "runAsNonRoot", T::Bool, kPtr},
    {6, "readOnlyRootFilesystem", T::Bool, kPtr},
    {7, "allowPrivilegeEscalation", T::Bool, kPtr},
    {9, "procMount", T::String, kPtr},
    {11, "seccompProfile", T::Message, kPtr, &kProfile},
    {12, "appArmorProfile", T::Message, kPtr, &kProfile},
};
constexpr Message kSecurityContext{"SecurityContext", kSecurityContextF};

constexpr Field kContainerF[] = {
    {1, "name", T::String},
    {2, "image", T::String, kOmit},
    {3, "command", T::String, kList},
    {4, "args", T::String, kList},
    {5, "workingDir", T::String, kOmit},
    {6, "ports", T::Message, kList, &kContainerPort},
    {19, "envFrom", T::Message, kList, &kEnvFromSource},
    {7, "env", T::Message, kList, &kEnvVar},
    {8, "resources", T::Message, kOmit, &kResourceRequirements},
    {23, "resizePolicy", T::Message, kList, &kContainerResizePolicy},
    {24, "restartPolicy", T::String, kPtr},
    {9, "volumeMounts", T::Message, kList, &kVolumeMount},
    {21, "volumeDevices", T::Message, kList, &kVolumeDevice},
    {10, "livenessProbe", T::Message, kPtr, &kProbe},
    {11, "readinessProbe", T::Message, kPtr, &kProbe},
    {22, "startupProbe", T::Message, kPtr, &kProbe},
    {12, "lifecycle", T::Message, kPtr, &kLifecycle},
    {13, "terminationMessagePath", T::String, kOmit},
    {20, "terminationMessagePolicy", T::String, kOmit},
    {14, "imagePullPolicy", T::String, kOmit},
    {15, "securityContext", T::Message, kPtr, &kSecurityContext},
    {16, "stdin", T::Bool, kOmit},
    {17, "stdinOnce", T::Bool, kOmit},
    {18, "tty", T::Bool, kOmit},
};
constexpr Message kContainer{"Container", kContainerF};

// EphemeralContainerCommon has Container's fields, numbers and tags.
constexpr Field kEphemeralContainerF[] = {
    {1, "", T::Inline, 0, &kContainer},
    {2, "targetContainerName", T::String, kOmit},
};
constexpr Message kEphemeralContainer{"EphemeralContainer", kEphemeralContainerF};

// --- core/v1: volumes

constexpr Field kKeyToPathF[] = {
    {1, "key", T::String},
    {2, "path", T::String},
    {3, "mode", T::Int32, kPtr},
};
constexpr Message kKeyToPath{"KeyToPath", kKeyToPathF};

constexpr Field kHostPathVolumeSourceF[] = {
    {1, "path", T::String},
    {2, "type", T::String, kPtr},
};
constexpr Message kHostPathVolumeSource{"HostPathVolumeSource", kHostPathVolumeSourceF};

constexpr Field kEmptyDirVolumeSourceF[] = {
    {1, "medium", T::String, kOmit},
    {2, "sizeLimit", T::Quantity, kPtr},
};
constexpr Message kEmptyDirVolumeSource{"EmptyDirVolumeSource", kEmptyDirVolumeSourceF};

constexpr Field kSecretVolumeSourceF[] = {
    {1, "secretName", T::String, kOmit},
    {2, "items", T::Message, kList, &kKeyToPath},
    {3, "defaultMode", T::Int32, kPtr},
    {4, "optional", T::Bool, kPtr},
};
constexpr Message kSecretVolumeSource{"SecretVolumeSource", kSecretVolumeSourceF};

constexpr Field kNFSVolumeSourceF[] = {
    {1, "server", T::String},
    {2, "path", T::String},
    {3, "readOnly", T::Bool, kOmit},
};
constexpr Message kNFSVolumeSource{"NFSVolumeSource", kNFSVolumeSourceF};

constexpr Field kPersistentVolumeClaimVolumeSourceF[] = {
    {1, "claimName", T::String},
    {2, "readOnly", T::Bool, kOmit},
};
constexpr Message kPersistentVolumeClaimVolumeSource{"PersistentVolumeClaimVolumeSource",
                                                     kPersistentVolumeClaimVolumeSourceF};

constexpr Field kDownwardAPIVolumeFileF[] = {
    {1, "path", T::String},
    {2, "fieldRef", T::Message, kPtr, &kObjectFieldSelector},
    {3, "resourceFieldRef", T::Message, kPtr, &kResourceFieldSelector},
    {4, "mode", T::Int32, kPtr},
};
constexpr Message kDownwardAPIVolumeFile{"DownwardAPIVolumeFile", kDownwardAPIVolumeFileF};

constexpr Field kDownwardAPIVolumeSourceF[] = {
    {1, "items", T::Message, kList, &kDownwardAPIVolumeFile},
    {2, "defaultMode", T::Int32, kPtr},
};
constexpr Message kDownwardAPIVolumeSource{"DownwardAPIVolumeSource", kDownwardAPIVolumeSourceF};

constexpr Field kConfigMapVolumeSourceF[] = {
    {1, "", T::Inline, 0, &kLocalObjectReference},
    {2, "items", T::Message, kList, &kKeyToPath},
    {3, "defaultMode", T::Int32, kPtr},
    {4, "optional", T::Bool, kPtr},
};
constexpr Message kConfigMapVolumeSource{"ConfigMapVolumeSource", kConfigMapVolumeSourceF};

// SecretProjection and ConfigMapProjection have the same shape.
constexpr Field kObjectProjectionF[] = {
    {1, "", T::Inline, 0, &kLocalObjectReference},
    {2, "items", T::Message, kList, &kKeyToPath},
    {4, "optional", T::Bool, kPtr},
};
constexpr Message kObjectProjection{"ObjectProjection", kObjectProjectionF};

constexpr Field kDownwardAPIProjectionF[] = {
    {1, "items", T::Message, kList, &kDownwardAPIVolumeFile},
};
constexpr Message kDownwardAPIProjection{"DownwardAPIProjection", kDownwardAPIProjectionF};

constexpr Field kServiceAccountTokenProjectionF[] = {
    {1, "audience", T::String, kOmit},
    {2, "expirationSeconds", T::Int64, kPtr},
    {3, "path", T::String},
};
constexpr Message kServiceAccountTokenProjection{"ServiceAccountTokenProjection",
                                                 kServiceAccountTokenProjectionF};

constexpr Field kClusterTrustBundleProjectionF[] = {
    {1, "name", T::String, kPtr},
    {2, "signerName", T::String, kPtr},
    {3, "labelSelector", T::Message, kPtr, &kLabelSelector},
    {5, "optional", T::Bool, kPtr},
    {4, "path", T::String},
};
constexpr Message kClusterTrustBundleProjection{"ClusterTrustBundleProjection",
                                                kClusterTrustBundleProjectionF};

constexpr Field kVolumeProjectionF[] = {
    {1, "secret", T::Message, kPtr, &kObjectProjection},
    {2, "downwardAPI", T::Message, kPtr, &kDownwardAPIProjection},
    {3, "configMap", T::Message, kPtr, &kObjectProjection},
    {4, "serviceAccountToken", T::Message, kPtr, &kServiceAccountTokenProjection},
    {5, "clusterTrustBundle", T::Message, kPtr, &kClusterTrustBundleProjection},
};
constexpr Message kVolumeProjection{"VolumeProjection", kVolumeProjectionF};

constexpr Field kProjectedVolumeSourceF[] = {
    {1, "sources", T::Message, kListNull, &kVolumeProjection},
    {2, "defaultMode", T::Int32, kPtr},
};
constexpr Message kProjectedVolumeSource{"ProjectedVolumeSource", kProjectedVolumeSourceF};

constexpr Field kCSIVolumeSourceF[] = {
    {1, "driver", T::String},
    {2, "readOnly", T::Bool, kPtr},
    {3, "fsType", T::String, kPtr},
    {4, "volumeAttributes", T::String, kMapOmit},
    {5, "nodePublishSecretRef", T::Message, kPtr, &kLocalObjectReference},
};
constexpr Message kCSIVolumeSource{"CSIVolumeSource", kCSIVolumeSourceF};

constexpr Field kImageVolumeSourceF[] = {
    {1, "reference", T::String, kOmit},
    {2, "pullPolicy", T::String, kOmit},
};
constexpr Message kImageVolumeSource{"ImageVolumeSource", kImageVolumeSourceF};

// The volume sources a pod template commonly uses; others (cloud disks, ephemeral claim
// templates) are skipped.
constexpr Field kVolumeSourceF[] = {
    {1, "hostPath", T::Message, kPtr, &kHostPathVolumeSource},
    {2, "emptyDir", T::Message, kPtr, &kEmptyDirVolumeSource},
    {6, "secret", T::Message, kPtr, &kSecretVolumeSource},
    {7, "nfs", T::Message, kPtr, &kNFSVolumeSource},
    {10, "persistentVolumeClaim", T::Message, kPtr, &kPersistentVolumeClaimVolumeSource},
    {16, "downwardAPI", T::Message, kPtr, &kDownwardAPIVolumeSource},
    {19, "configMap", T::Message, kPtr, &kConfigMapVolumeSource},
    {26, "projected", T::Message, kPtr, &kProjectedVolumeSource},
    {28, "csi", T::Message, kPtr, &kCSIVolumeSource},
    {30, "image", T::Message, kPtr, &kImageVolumeSource},
};
constexpr Message kVolumeSource{"VolumeSource", kVolumeSourceF};

constexpr Field kVolumeF[] = {
    {1, "name", T::String},
    {2, "", T::Inline, 0, &kVolumeSource},
};
constexpr Message kVolume{"Volume", kVolumeF};

// --- core/v1: scheduling

constexpr Field kNodeSelectorRequirementF[] = {
    {1, "key", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kList},
};
constexpr Message kNodeSelectorRequirement{"NodeSelectorRequirement", kNodeSelectorRequirementF};

constexpr Field kNodeSelectorTermF[] = {
    {1, "matchExpressions", T::Message, kList, &kNodeSelectorRequirement},
    {2, "matchFields", T::Message, kList, &kNodeSelectorRequirement},
};
constexpr Message kNodeSelectorTerm{"NodeSelectorTerm", kNodeSelectorTermF};

constexpr Field kNodeSelectorF[] = {
    {1, "nodeSelectorTerms", T::Message, kListNull, &kNodeSelectorTerm},
};
constexpr Message kNodeSelector{"NodeSelector", kNodeSelectorF};

constexpr Field kPreferredSchedulingTermF[] = {
    {1, "weight", T::Int32},
    {2, "preference", T::Message, 0, &kNodeSelectorTerm},
};
constexpr Message kPreferredSchedulingTerm{"PreferredSchedulingTerm", kPreferredSchedulingTermF};

constexpr Field kNodeAffinityF[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, kPtr, &kNodeSelector},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, kList,
     &kPreferredSchedulingTerm},
};
constexpr Message kNodeAffinity{"NodeAffinity", kNodeAffinityF};

constexpr Field kPodAffinityTermF[] = {
    {1, "labelSelector", T::Message, kPtr, &kLabelSelector},
    {2, "namespaces", T::String, kList},
    {3, "topologyKey", T::String},
    {4, "namespaceSelector", T::Message, kPtr, &kLabelSelector},
    {5, "matchLabelKeys", T::String, kList},
    {6, "mismatchLabelKeys", T::String, kList},
};
constexpr Message kPodAffinityTerm{"PodAffinityTerm", kPodAffinityTermF};

constexpr Field kWeightedPodAffinityTermF[] = {
    {1, "weight", T::Int32},
    {2, "podAffinityTerm", T::Message, 0, &kPodAffinityTerm},
};
constexpr Message kWeightedPodAffinityTerm{"WeightedPodAffinityTerm", kWeightedPodAffinityTermF};

// PodAffinity and PodAntiAffinity have the same shape.
constexpr Field kPodAffinityF[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, kList, &kPodAffinityTerm},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, kList,
     &kWeightedPodAffinityTerm},
};
constexpr Message kPodAffinity{"PodAffinity", kPodAffinityF};

constexpr Field kAffinityF[] = {
    {1, "nodeAffinity", T::Message, kPtr, &kNodeAffinity},
    {2, "podAffinity", T::Message, kPtr, &kPodAffinity},
    {3, "podAntiAffinity", T::Message, kPtr, &kPodAffinity},
};
constexpr Message kAffinity{"Affinity", kAffinityF};

constexpr Field kTolerationF[] = {
    {1, "key", T::String, kOmit},
    {2, "operator", T::String, kOmit},
    {3, "value", T::String, kOmit},
    {4, "effect", T::String, kOmit},
    {5, "tolerationSeconds", T::Int64, kPtr},
};
constexpr Message kToleration{"Toleration", kTolerationF};

constexpr Field kTopologySpreadConstraintF[] = {
    {1, "maxSkew", T::Int32},
    {2, "topologyKey", T::String},
    {3, "whenUnsatisfiable", T::String},
    {4, "labelSelector", T::Message, kPtr, &kLabelSelector},
    {5, "minDomains", T::Int32, kPtr},
    {6, "nodeAffinityPolicy", T::String, kPtr},
    {7, "nodeTaintsPolicy", T::String, kPtr},
    {8, "matchLabelKeys", T::String, kList},
};
constexpr Message kTopologySpreadConstraint{"TopologySpreadConstraint",
                                            kTopologySpreadConstraintF};

// --- core/v1: pods

constexpr Field kSysctlF[] = {
    {1, "name", T::String},
    {2, "value", T::String},
};
constexpr Message kSysctl{"Sysctl", kSysctlF};

constexpr Field kPodSecurityContextF[] = {
    {1, "seLinuxOptions", T::Message, kPtr, &kSELinuxOptions},
    {8, "windowsOptions", T::Message, kPtr, &kWindowsSecurityContextOptions},
    {2, "runAsUser", T::Int64, kPtr},
    {6, "runAsGroup", T::Int64, kPtr},
    {3, "runAsNonRoot", T::Bool, kPtr},
    {4, "supplementalGroups", T::Int64, kList},
    {12, "supplementalGroupsPolicy", T::String, kPtr},
    {5, "fsGroup", T::Int64, kPtr},
    {7, "sysctls", T::Message, kList, &kSysctl},
    {9, "fsGroupChangePolicy", T::String, kPtr},
    {10, "seccompProfile", T::Message, kPtr, &kProfile},
    {11, "appArmorProfile", T::Message, kPtr, &kProfile},
    {13, "seLinuxChangePolicy", T::String, kPtr},
};
constexpr Message kPodSecurityContext{"PodSecurityContext", kPodSecurityContextF};

constexpr Field kHostAliasF[] = {
    {1, "ip", T::String},
    {2, "hostnames", T::String, kList},
};
constexpr Message kHostAlias{"HostAlias", kHostAliasF};

constexpr Field kPodDNSConfigOptionF[] = {
    {1, "name", T::String, kOmit},
    {2, "value", T::String, kPtr},
};
constexpr Message kPodDNSConfigOption{"PodDNSConfigOption", kPodDNSConfigOptionF};

constexpr Field kPodDNSConfigF[] = {
    {1, "nameservers", T::String, kList},
    {2, "searches", T::String, kList},
    {3, "options", T::Message, kList, &kPodDNSConfigOption},
};
constexpr Message kPodDNSConfig{"PodDNSConfig", kPodDNSConfigF};

constexpr Field kPodReadinessGateF[] = {
    {1, "conditionType", T::String},
};
constexpr Message kPodReadinessGate{"PodReadinessGate", kPodReadinessGateF};

// PodOS and PodSchedulingGate: just a name.
constexpr Field kNamedF[] = {
    {1, "name", T::String},
};
constexpr Message kNamed{"Named", kNamedF};

constexpr Field kPodResourceClaimF[] = {
    {1, "name", T::String},
    {3, "resourceClaimName", T::String, kPtr},
    {4, "resourceClaimTemplateName", T::String, kPtr},
};
constexpr Message kPodResourceClaim{"PodResourceClaim", kPodResourceClaimF};

constexpr Field kPodSpecF[] = {
    {1, "volumes", T::Message, kList, &kVolume},
    {20, "initContainers", T::Message, kList, &kContainer},
    {2, "containers", T::Message, kListNull, &kContainer},
    {34, "ephemeralContainers", T::Message, kList, &kEphemeralContainer},
    {3, "restartPolicy", T::String, kOmit},
    {4, "terminationGracePeriodSeconds", T::Int64, kPtr},
    {5, "activeDeadlineSeconds", T::Int64, kPtr},
    {6, "dnsPolicy", T::String, kOmit},
    {7, "nodeSelector", T::String, kMapOmit},
    {8, "serviceAccountName", T::String, kOmit},
    {9, "serviceAccount", T::String, kOmit},
    {21, "automountServiceAccountToken", T::Bool, kPtr},
    {10, "nodeName", T::String, kOmit},
    {11, "hostNetwork", T::Bool, kOmit},
    {12, "hostPID", T::Bool, kOmit},
    {13, "hostIPC", T::Bool, kOmit},
    {27, "shareProcessNamespace", T::Bool, kPtr},
    {14, "securityContext", T::Message, kPtr, &kPodSecurityContext},
    {15, "imagePullSecrets", T::Message, kList, &kLocalObjectReference},
    {16, "hostname", T::String, kOmit},
    {17, "subdomain", T::String, kOmit},
    {18, "affinity", T::Message, kPtr, &kAffinity},
    {19, "schedulerName", T::String, kOmit},
    {22, "tolerations", T::Message, kList, &kToleration},
    {23, "hostAliases", T::Message, kList, &kHostAlias},
    {24, "priorityClassName", T::String, kOmit},
    {25, "priority", T::Int32, kPtr},
    {26, "dnsConfig", T::Message, kPtr, &kPodDNSConfig},
    {28, "readinessGates", T::Message, kList, &kPodReadinessGate},
    {29, "runtimeClassName", T::String, kPtr},
    {30, "enableServiceLinks", T::Bool, kPtr},
    {31, "preemptionPolicy", T::String, kPtr},
    {32, "overhead", T::Quantity, kMapOmit},
    {33, "topologySpreadConstraints", T::Message, kList, &kTopologySpreadConstraint},
    {35, "setHostnameAsFQDN", T::Bool, kPtr},
    {36, "os", T::Message, kPtr, &kNamed},
    {37, "hostUsers", T::Bool, kPtr},
    {38, "schedulingGates", T::Message, kList, &kNamed},
    {39, "resourceClaims", T::Message, kList, &kPodResourceClaim},
    {40, "resources", T::Message, kPtr, &kResourceRequirements},
};
constexpr Message kPodSpec{"PodSpec", kPodSpecF};

constexpr Field kPodTemplateSpecF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kPodSpec},
};
constexpr Message kPodTemplateSpec{"PodTemplateSpec", kPodTemplateSpecF};

// The scalar part of PodStatus; lists of statuses are the kubelet's and are skipped.
constexpr Field kPodStatusF[] = {
    {1, "phase", T::String, kOmit},
    {3, "message", T::String, kOmit},
    {4, "reason", T::String, kOmit},
    {11, "nominatedNodeName", T::String, kOmit},
    {5, "hostIP", T::String, kOmit},
    {6, "podIP", T::String, kOmit},
    {7, "startTime", T::Time, kPtr},
    {9, "qosClass", T::String, kOmit},
    {14, "resize", T::String, kOmit},
};
constexpr Message kPodStatus{"PodStatus", kPodStatusF};

constexpr Field kPodF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kPodSpec},
    {3, "status", T::Message, kOmit, &kPodStatus},
};
constexpr Message kPod{"Pod", kPodF};

// --- core/v1: other kinds

constexpr Field kNamespaceConditionF[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {4, "lastTransitionTime", T::Time, kOmit},
    {5, "reason", T::String, kOmit},
    {6, "message", T::String, kOmit},
};
constexpr Message kNamespaceCondition{"NamespaceCondition", kNamespaceConditionF};

constexpr Field kNamespaceSpecF[] = {
    {1, "finalizers", T::String, kList},
};
constexpr Message kNamespaceSpec{"NamespaceSpec", kNamespaceSpecF};

constexpr Field kNamespaceStatusF[] = {
    {1, "phase", T::String, kOmit},
    {2, "conditions", T::Message, kList, &kNamespaceCondition},
};
constexpr Message kNamespaceStatus{"NamespaceStatus", kNamespaceStatusF};

constexpr Field kNamespaceF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kNamespaceSpec},
    {3, "status", T::Message, kOmit, &kNamespaceStatus},
};
constexpr Message kNamespace{"Namespace", kNamespaceF};

constexpr Field kConfigMapF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {4, "immutable", T::Bool, kPtr},
    {2, "data", T::String, kMapOmit},
    {3, "binaryData", T::Bytes, kMapOmit},
};
constexpr Message kConfigMap{"ConfigMap", kConfigMapF};

constexpr Field kSecretF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {5, "immutable", T::Bool, kPtr},
    {2, "data", T::Bytes, kMapOmit},
    {4, "stringData", T::String, kMapOmit},
    {3, "type", T::String, kOmit},
};
constexpr Message kSecret{"Secret", kSecretF};

constexpr Field kServiceAccountF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "secrets", T::Message, kList, &kObjectReference},
    {3, "imagePullSecrets", T::Message, kList, &kLocalObjectReference},
    {4, "automountServiceAccountToken", T::Bool, kPtr},
};
constexpr Message kServiceAccount{"ServiceAccount", kServiceAccountF};

constexpr Field kServicePortF[] = {
    {1, "name", T::String, kOmit},
    {2, "protocol", T::String, kOmit},
    {6, "appProtocol", T::String, kPtr},
    {3, "port", T::Int32},
    {4, "targetPort", T::IntOrString, kOmit},
    {5, "nodePort", T::Int32, kOmit},
};
constexpr Message kServicePort{"ServicePort", kServicePortF};

constexpr Field kClientIPConfigF[] = {
    {1, "timeoutSeconds", T::Int32, kPtr},
};
constexpr Message kClientIPConfig{"ClientIPConfig", kClientIPConfigF};

constexpr Field kSessionAffinityConfigF[] = {
    {1, "clientIP", T::Message, kPtr, &kClientIPConfig},
};
constexpr Message kSessionAffinityConfig{"SessionAffinityConfig", kSessionAffinityConfigF};

constexpr Field kServiceSpecF[] = {
    {1, "ports", T::Message, kList, &kServicePort},
    {2, "selector", T::String, kMapOmit},
    {3, "clusterIP", T::String, kOmit},
    {18, "clusterIPs", T::String, kList},
    {4, "type", T::String, kOmit},
    {5, "externalIPs", T::String, kList},
    {7, "sessionAffinity", T::String, kOmit},
    {8, "loadBalancerIP", T::String, kOmit},
    {9, "loadBalancerSourceRanges", T::String, kList},
    {10, "externalName", T::String, kOmit},
    {11, "externalTrafficPolicy", T::String, kOmit},
    {12, "healthCheckNodePort", T::Int32, kOmit},
    {13, "publishNotReadyAddresses", T::Bool, kOmit},
    {14, "sessionAffinityConfig", T::Message, kPtr, &kSessionAffinityConfig},
    {19, "ipFamilies", T::String, kList},
    {17, "ipFamilyPolicy", T::String, kPtr},
    {20, "allocateLoadBalancerNodePorts", T::Bool, kPtr},
    {21, "loadBalancerClass", T::String, kPtr},
    {22, "internalTrafficPolicy", T::String, kPtr},
    {23, "trafficDistribution", T::String, kPtr},
};
constexpr Message kServiceSpec{"ServiceSpec", kServiceSpecF};

constexpr Field kPortStatusF[] = {
    {1, "port", T::Int32},
    {2, "protocol", T::String},
    {3, "error", T::String, kPtr},
};
constexpr Message kPortStatus{"PortStatus", kPortStatusF};

constexpr Field kLoadBalancerIngressF[] = {
    {1, "ip", T::String, kOmit},
    {2, "hostname", T::String, kOmit},
    {3, "ipMode", T::String, kPtr},
    {4, "ports", T::Message, kList, &kPortStatus},
};
constexpr Message kLoadBalancerIngress{"LoadBalancerIngress", kLoadBalancerIngressF};

constexpr Field kLoadBalancerStatusF[] = {
    {1, "ingress", T::Message, kList, &kLoadBalancerIngress},
};
constexpr Message kLoadBalancerStatus{"LoadBalancerStatus", kLoadBalancerStatusF};

constexpr Field kServiceStatusF[] = {
    {1, "loadBalancer", T::Message, kOmit, &kLoadBalancerStatus},
    {2, "conditions", T::Message, kList, &kCondition},
};
constexpr Message kServiceStatus{"ServiceStatus", kServiceStatusF};

constexpr Field kServiceF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kServiceSpec},
    {3, "status", T::Message, kOmit, &kServiceStatus},
};
constexpr Message kService{"Service", kServiceF};

constexpr Field kScopedResourceSelectorRequirementF[] = {
    {1, "scopeName", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kList},
};
constexpr Message kScopedResourceSelectorRequirement{"ScopedResourceSelectorRequirement",
                                                     kScopedResourceSelectorRequirementF};

constexpr Field kScopeSelectorF[] = {
    {1, "matchExpressions", T::Message, kList, &kScopedResourceSelectorRequirement},
};
constexpr Message kScopeSelector{"ScopeSelector", kScopeSelectorF};

constexpr Field kResourceQuotaSpecF[] = {
    {1, "hard", T::Quantity, kMapOmit},
    {2, "scopes", T::String, kList},
    {3, "scopeSelector", T::Message, kPtr, &kScopeSelector},
};
constexpr Message kResourceQuotaSpec{"ResourceQuotaSpec", kResourceQuotaSpecF};

constexpr Field kResourceQuotaStatusF[] = {
    {1, "hard", T::Quantity, kMapOmit},
    {2, "used", T::Quantity, kMapOmit},
};
constexpr Message kResourceQuotaStatus{"ResourceQuotaStatus", kResourceQuotaStatusF};

constexpr Field kResourceQuotaF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kResourceQuotaSpec},
    {3, "status", T::Message, kOmit, &kResourceQuotaStatus},
};
constexpr Message kResourceQuota{"ResourceQuota", kResourceQuotaF};

constexpr Field kEventSourceF[] = {
    {1, "component", T::String, kOmit},
    {2, "host", T::String, kOmit},
};
constexpr Message kEventSource{"EventSource", kEventSourceF};

constexpr Field kEventSeriesF[] = {
    {1, "count", T::Int32, kOmit},
    {2, "lastObservedTime", T::MicroTime, kOmit},
};
constexpr Message kEventSeries{"EventSeries", kEventSeriesF};

constexpr Field kEventF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "involvedObject", T::Message, 0, &kObjectReference},
    {3, "reason", T::String, kOmit},
    {4, "message", T::String, kOmit},
    {5, "source", T::Message, kOmit, &kEventSource},
    {6, "firstTimestamp", T::Time, kOmit},
    {7, "lastTimestamp", T::Time, kOmit},
    {8, "count", T::Int32, kOmit},
    {9, "type", T::String, kOmit},
    {10, "eventTime", T::MicroTime, kOmit},
    {11, "series", T::Message, kPtr, &kEventSeries},
    {12, "action", T::String, kOmit},
    {13, "related", T::Message, kPtr, &kObjectReference},
    {14, "reportingComponent", T::String},
    {15, "reportingInstance", T::String},
};
constexpr Message kEvent{"Event", kEventF};

// --- coordination.k8s.io/v1

constexpr Field kLeaseSpecF[] = {
    {1, "holderIdentity", T::String, kPtr},
    {2, "leaseDurationSeconds", T::Int32, kPtr},
    {3, "acquireTime", T::MicroTime, kPtr},
    {4, "renewTime", T::MicroTime, kPtr},
    {5, "leaseTransitions", T::Int32, kPtr},
    {6, "strategy", T::String, kPtr},
    {7, "preferredHolder", T::String, kPtr},
};
constexpr Message kLeaseSpec{"LeaseSpec", kLeaseSpecF};

constexpr Field kLeaseF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kLeaseSpec},
};
constexpr Message kLease{"Lease", kLeaseF};

// --- apps/v1

constexpr Field kRollingUpdateDeploymentF[] = {
    {1, "maxUnavailable", T::IntOrString, kPtr},
    {2, "maxSurge", T::IntOrString, kPtr},
};
constexpr Message kRollingUpdateDeployment{"RollingUpdateDeployment", kRollingUpdateDeploymentF};

constexpr Field kDeploymentStrategyF[] = {
    {1, "type", T::String, kOmit},
    {2, "rollingUpdate", T::Message, kPtr, &kRollingUpdateDeployment},
};
constexpr Message kDeploymentStrategy{"DeploymentStrategy", kDeploymentStrategyF};

constexpr Field kDeploymentSpecF[] = {
    {1, "replicas", T::Int32, kPtr},
    {2, "selector", T::Message, kPointer, &kLabelSelector},
    {3, "template", T::Message, 0, &kPodTemplateSpec},
    {4, "strategy", T::Message, kOmit, &kDeploymentStrategy},
    {5, "minReadySeconds", T::Int32, kOmit},
    {6, "revisionHistoryLimit", T::Int32, kPtr},
    {7, "paused", T::Bool, kOmit},
    {9, "progressDeadlineSeconds", T::Int32, kPtr},
};
constexpr Message kDeploymentSpec{"DeploymentSpec", kDeploymentSpecF};

constexpr Field kDeploymentConditionF[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {6, "lastUpdateTime", T::Time, kOmit},
    {7, "lastTransitionTime", T::Time, kOmit},
    {4, "reason", T::String, kOmit},
    {5, "message", T::String, kOmit},
};
constexpr Message kDeploymentCondition{"DeploymentCondition", kDeploymentConditionF};

constexpr Field kDeploymentStatusF[] = {
    {1, "observedGeneration", T::Int64, kOmit},
    {2, "replicas", T::Int32, kOmit},
    {3, "updatedReplicas", T::Int32, kOmit},
    {7, "readyReplicas", T::Int32, kOmit},
    {4, "availableReplicas", T::Int32, kOmit},
    {5, "unavailableReplicas", T::Int32, kOmit},
    {9, "terminatingReplicas", T::Int32, kPtr},
    {6, "conditions", T::Message, kList, &kDeploymentCondition},
    {8, "collisionCount", T::Int32, kPtr},
};
constexpr Message kDeploymentStatus{"DeploymentStatus", kDeploymentStatusF};

constexpr Field kDeploymentF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kDeploymentSpec},
    {3, "status", T::Message, kOmit, &kDeploymentStatus},
};
constexpr Message kDeployment{"Deployment", kDeploymentF};

// --- batch/v1

constexpr Field kPodFailurePolicyOnExitCodesRequirementF[] = {
    {1, "containerName", T::String, kPtr},
    {2, "operator", T::String},
    {3, "values", T::Int32, kListNull},
};
constexpr Message kPodFailurePolicyOnExitCodesRequirement{
    "PodFailurePolicyOnExitCodesRequirement", kPodFailurePolicyOnExitCodesRequirementF};

constexpr Field kPodFailurePolicyOnPodConditionsPatternF[] = {
    {1, "type", T::String},
    {2, "status", T::String},
};
constexpr Message kPodFailurePolicyOnPodConditionsPattern{
    "PodFailurePolicyOnPodConditionsPattern", kPodFailurePolicyOnPodConditionsPatternF};

constexpr Field kPodFailurePolicyRuleF[] = {
    {1, "action", T::String},
    {2, "onExitCodes", T::Message, kPtr, &kPodFailurePolicyOnExitCodesRequirement},
    {3, "onPodConditions", T::Message, kList, &kPodFailurePolicyOnPodConditionsPattern},
};
constexpr Message kPodFailurePolicyRule{"PodFailurePolicyRule", kPodFailurePolicyRuleF};

constexpr Field kPodFailurePolicyF[] = {
    {1, "rules", T::Message, kListNull, &kPodFailurePolicyRule},
};
constexpr Message kPodFailurePolicy{"PodFailurePolicy", kPodFailurePolicyF};

constexpr Field kSuccessPolicyRuleF[] = {
    {1, "succeededIndexes", T::String, kPtr},
    {2, "succeededCount", T::Int32, kPtr},
};
constexpr Message kSuccessPolicyRule{"SuccessPolicyRule", kSuccessPolicyRuleF};

constexpr Field kSuccessPolicyF[] = {
    {1, "rules", T::Message, kListNull, &kSuccessPolicyRule},
};
constexpr Message kSuccessPolicy{"SuccessPolicy", kSuccessPolicyF};

constexpr Field kJobSpecF[] = {
    {1, "parallelism", T::Int32, kPtr},
    {2, "completions", T::Int32, kPtr},
    {3, "activeDeadlineSeconds", T::Int64, kPtr},
    {11, "podFailurePolicy", T::Message, kPtr, &kPodFailurePolicy},
    {16, "successPolicy", T::Message, kPtr, &kSuccessPolicy},
    {7, "backoffLimit", T::Int32, kPtr},
    {12, "backoffLimitPerIndex", T::Int32, kPtr},
    {13, "maxFailedIndexes", T::Int32, kPtr},
    {4, "selector", T::Message, kPtr, &kLabelSelector},
    {5, "manualSelector", T::Bool, kPtr},
    {6, "template", T::Message, 0, &kPodTemplateSpec},
    {8, "ttlSecondsAfterFinished", T::Int32, kPtr},
    {9, "completionMode", T::String, kPtr},
    {10, "suspend", T::Bool, kPtr},
    {14, "podReplacementPolicy", T::String, kPtr},
    {15, "managedBy", T::String, kPtr},
};
constexpr Message kJobSpec{"JobSpec", kJobSpecF};

constexpr Field kUncountedTerminatedPodsF[] = {
    {1, "succeeded", T::String, kList},
    {2, "failed", T::String, kList},
};
constexpr Message kUncountedTerminatedPods{"UncountedTerminatedPods", kUncountedTerminatedPodsF};

constexpr Field kJobConditionF[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "lastProbeTime", T::Time, kOmit},
    {4, "lastTransitionTime", T::Time, kOmit},
    {5, "reason", T::String, kOmit},
    {6, "message", T::String, kOmit},
};
constexpr Message kJobCondition{"JobCondition", kJobConditionF};

constexpr Field kJobStatusF[] = {
    {1, "conditions", T::Message, kList, &kJobCondition},
    {2, "startTime", T::Time, kPtr},
    {3, "completionTime", T::Time, kPtr},
    {4, "active", T::Int32, kOmit},
    {5, "succeeded", T::Int32, kOmit},
    {6, "failed", T::Int32, kOmit},
    {11, "terminating", T::Int32, kPtr},
    {7, "completedIndexes", T::String, kOmit},
    {10, "failedIndexes", T::String, kPtr},
    {8, "uncountedTerminatedPods", T::Message, kPtr, &kUncountedTerminatedPods},
    {9, "ready", T::Int32, kPtr},
};
constexpr Message kJobStatus{"JobStatus", kJobStatusF};

constexpr Field kJobF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kJobSpec},
    {3, "status", T::Message, kOmit, &kJobStatus},
};
constexpr Message kJob{"Job", kJobF};

constexpr Field kJobTemplateSpecF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kJobSpec},
};
constexpr Message kJobTemplateSpec{"JobTemplateSpec", kJobTemplateSpecF};

constexpr Field kCronJobSpecF[] = {
    {1, "schedule", T::String},
    {8, "timeZone", T::String, kPtr},
    {2, "startingDeadlineSeconds", T::Int64, kPtr},
    {3, "concurrencyPolicy", T::String, kOmit},
    {4, "suspend", T::Bool, kPtr},
    {5, "jobTemplate", T::Message, 0, &kJobTemplateSpec},
    {6, "successfulJobsHistoryLimit", T::Int32, kPtr},
    {7, "failedJobsHistoryLimit", T::Int32, kPtr},
};
constexpr Message kCronJobSpec{"CronJobSpec", kCronJobSpecF};

constexpr Field kCronJobStatusF[] = {
    {1, "active", T::Message, kList, &kObjectReference},
    {4, "lastScheduleTime", T::Time, kPtr},
    {5, "lastSuccessfulTime", T::Time, kPtr},
};
constexpr Message kCronJobStatus{"CronJobStatus", kCronJobStatusF};

constexpr Field kCronJobF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kCronJobSpec},
    {3, "status", T::Message, kOmit, &kCronJobStatus},
};
constexpr Message kCronJob{"CronJob", kCronJobF};

// --- rbac.authorization.k8s.io/v1

constexpr Field kPolicyRuleF[] = {
    {1, "verbs", T::String, kListNull},
    {2, "apiGroups", T::String, kList},
    {3, "resources", T::String, kList},
    {4, "resourceNames", T::String, kList},
    {5, "nonResourceURLs", T::String, kList},
};
constexpr Message kPolicyRule{"PolicyRule", kPolicyRuleF};

constexpr Field kRoleF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "rules", T::Message, kListNull, &kPolicyRule},
};
constexpr Message kRole{"Role", kRoleF};

constexpr Field kAggregationRuleF[] = {
    {1, "clusterRoleSelectors", T::Message, kList, &kLabelSelector},
};
constexpr Message kAggregationRule{"AggregationRule", kAggregationRuleF};

constexpr Field kClusterRoleF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "rules", T::Message, kListNull, &kPolicyRule},
    {3, "aggregationRule", T::Message, kPtr, &kAggregationRule},
};
constexpr Message kClusterRole{"ClusterRole", kClusterRoleF};

constexpr Field kSubjectF[] = {
    {1, "kind", T::String},
    {2, "apiGroup", T::String, kOmit},
    {3, "name", T::String},
    {4, "namespace", T::String, kOmit},
};
constexpr Message kSubject{"Subject", kSubjectF};

constexpr Field kRoleRefF[] = {
    {1, "apiGroup", T::String},
    {2, "kind", T::String},
    {3, "name", T::String},
};
constexpr Message kRoleRef{"RoleRef", kRoleRefF};

// RoleBinding and ClusterRoleBinding have the same shape.
constexpr Field kRoleBindingF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "subjects", T::Message, kList, &kSubject},
    {3, "roleRef", T::Message, 0, &kRoleRef},
};
constexpr Message kRoleBinding{"RoleBinding", kRoleBindingF};

// --- networking.k8s.io/v1

constexpr Field kServiceBackendPortF[] = {
    {1, "name", T::String, kOmit},
    {2, "number", T::Int32, kOmit},
};
constexpr Message kServiceBackendPort{"ServiceBackendPort", kServiceBackendPortF};

constexpr Field kIngressServiceBackendF[] = {
    {1, "name", T::String},
    {2, "port", T::Message, kOmit, &kServiceBackendPort},
};
constexpr Message kIngressServiceBackend{"IngressServiceBackend", kIngressServiceBackendF};

constexpr Field kIngressBackendF[] = {
    {4, "service", T::Message, kPtr, &kIngressServiceBackend},
    {3, "resource", T::Message, kPtr, &kTypedLocalObjectReference},
};
constexpr Message kIngressBackend{"IngressBackend", kIngressBackendF};

constexpr Field kIngressTLSF[] = {
    {1, "hosts", T::String, kList},
    {2, "secretName", T::String, kOmit},
};
constexpr Message kIngressTLS{"IngressTLS", kIngressTLSF};

constexpr Field kHTTPIngressPathF[] = {
    {1, "path", T::String, kOmit},
    {3, "pathType", T::String, kPointer},
    {2, "backend", T::Message, 0, &kIngressBackend},
};
constexpr Message kHTTPIngressPath{"HTTPIngressPath", kHTTPIngressPathF};

constexpr Field kHTTPIngressRuleValueF[] = {
    {1, "paths", T::Message, kListNull, &kHTTPIngressPath},
};
constexpr Message kHTTPIngressRuleValue{"HTTPIngressRuleValue", kHTTPIngressRuleValueF};

constexpr Field kIngressRuleValueF[] = {
    {1, "http", T::Message, kPtr, &kHTTPIngressRuleValue},
};
constexpr Message kIngressRuleValue{"IngressRuleValue", kIngressRuleValueF};

constexpr Field kIngressRuleF[] = {
    {1, "host", T::String, kOmit},
    {2, "", T::Inline, 0, &kIngressRuleValue},
};
constexpr Message kIngressRule{"IngressRule", kIngressRuleF};

constexpr Field kIngressSpecF[] = {
    {4, "ingressClassName", T::String, kPtr},
    {1, "defaultBackend", T::Message, kPtr, &kIngressBackend},
    {2, "tls", T::Message, kList, &kIngressTLS},
    {3, "rules", T::Message, kList, &kIngressRule},
};
constexpr Message kIngressSpec{"IngressSpec", kIngressSpecF};

constexpr Field kIngressPortStatusF[] = {
    {1, "port", T::Int32},
    {2, "protocol", T::String},
    {3, "error", T::String, kPtr},
};
constexpr Message kIngressPortStatus{"IngressPortStatus", kIngressPortStatusF};

constexpr Field kIngressLoadBalancerIngressF[] = {
    {1, "ip", T::String, kOmit},
    {2, "hostname", T::String, kOmit},
    {4, "ports", T::Message, kList, &kIngressPortStatus},
};
constexpr Message kIngressLoadBalancerIngress{"IngressLoadBalancerIngress",
                                              kIngressLoadBalancerIngressF};

constexpr Field kIngressLoadBalancerStatusF[] = {
    {1, "ingress", T::Message, kList, &kIngressLoadBalancerIngress},
};
constexpr Message kIngressLoadBalancerStatus{"IngressLoadBalancerStatus",
                                             kIngressLoadBalancerStatusF};

constexpr Field kIngressStatusF[] = {
    {1, "loadBalancer", T::Message, kOmit, &kIngressLoadBalancerStatus},
};
constexpr Message kIngressStatus{"IngressStatus", kIngressStatusF};

constexpr Field kIngressF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kIngressSpec},
    {3, "status", T::Message, kOmit, &kIngressStatus},
};
constexpr Message kIngress{"Ingress", kIngressF};

// --- policy/v1

constexpr Field kPodDisruptionBudgetSpecF[] = {
    {1, "minAvailable", T::IntOrString, kPtr},
    {2, "selector", T::Message, kPtr, &kLabelSelector},
    {3, "maxUnavailable", T::IntOrString, kPtr},
    {4, "unhealthyPodEvictionPolicy", T::String, kPtr},
};
constexpr Message kPodDisruptionBudgetSpec{"PodDisruptionBudgetSpec", kPodDisruptionBudgetSpecF};

constexpr Field kPodDisruptionBudgetStatusF[] = {
    {1, "observedGeneration", T::Int64, kOmit},
    {2, "disruptedPods", T::Time, kMapOmit},
    {3, "disruptionsAllowed", T::Int32},
    {4, "currentHealthy", T::Int32},
    {5, "desiredHealthy", T::Int32},
    {6, "expectedPods", T::Int32},
    {7, "conditions", T::Message, kList, &kCondition},
};
constexpr Message kPodDisruptionBudgetStatus{"PodDisruptionBudgetStatus",
                                             kPodDisruptionBudgetStatusF};

constexpr Field kPodDisruptionBudgetF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kPodDisruptionBudgetSpec},
    {3, "status", T::Message, kOmit, &kPodDisruptionBudgetStatus},
};
constexpr Message kPodDisruptionBudget{"PodDisruptionBudget", kPodDisruptionBudgetF};

constexpr Field kEvictionF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "deleteOptions", T::Message, kPtr, &kDeleteOptions},
};
constexpr Message kEviction{"Eviction", kEvictionF};

// --- scheduling.k8s.io/v1

constexpr Field kPriorityClassF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "value", T::Int32},
    {3, "globalDefault", T::Bool, kOmit},
    {4, "description", T::String, kOmit},
    {5, "preemptionPolicy", T::String, kPtr},
};
constexpr Message kPriorityClass{"PriorityClass", kPriorityClassF};

// --- autoscaling/v1

constexpr Field kCrossVersionObjectReferenceF[] = {
    {1, "kind", T::String},
    {2, "name", T::String},
    {3, "apiVersion", T::String, kOmit},
};
constexpr Message kCrossVersionObjectReference{"CrossVersionObjectReference",
                                               kCrossVersionObjectReferenceF};

constexpr Field kHorizontalPodAutoscalerSpecF[] = {
    {1, "scaleTargetRef", T::Message, 0, &kCrossVersionObjectReference},
    {2, "minReplicas", T::Int32, kPtr},
    {3, "maxReplicas", T::Int32},
    {4, "targetCPUUtilizationPercentage", T::Int32, kPtr},
};
constexpr Message kHorizontalPodAutoscalerSpec{"HorizontalPodAutoscalerSpec",
                                               kHorizontalPodAutoscalerSpecF};

constexpr Field kHorizontalPodAutoscalerStatusF[] = {
    {1, "observedGeneration", T::Int64, kPtr},
    {2, "lastScaleTime", T::Time, kPtr},
    {3, "currentReplicas", T::Int32},
    {4, "desiredReplicas", T::Int32},
    {5, "currentCPUUtilizationPercentage", T::Int32, kPtr},
};
constexpr Message kHorizontalPodAutoscalerStatus{"HorizontalPodAutoscalerStatus",
                                                 kHorizontalPodAutoscalerStatusF};

constexpr Field kHorizontalPodAutoscalerF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, kOmit, &kHorizontalPodAutoscalerSpec},
    {3, "status", T::Message, kOmit, &kHorizontalPodAutoscalerStatus},
};
constexpr Message kHorizontalPodAutoscaler{"HorizontalPodAutoscaler", kHorizontalPodAutoscalerF};

// --- certificates.k8s.io/v1

constexpr Field kCertificateSigningRequestSpecF[] = {
    {1, "request", T::Bytes},
    {7, "signerName", T::String},
    {8, "expirationSeconds", T::Int32, kPtr},
    {5, "usages", T::String, kList},
    {2, "username", T::String, kOmit},
    {3, "uid", T::String, kOmit},
    {4, "groups", T::String, kList},
    {6, "extra", T::Strings, kMapOmit},
};
constexpr Message kCertificateSigningRequestSpec{"CertificateSigningRequestSpec",
                                                 kCertificateSigningRequestSpecF};

constexpr Field kCertificateSigningRequestConditionF[] = {
    {1, "type", T::String},
    {6, "status", T::String},
    {2, "reason", T::String, kOmit},
    {3, "message", T::String, kOmit},
    {4, "lastUpdateTime", T::Time, kOmit},
    {5, "lastTransitionTime", T::Time, kOmit},
};
constexpr Message kCertificateSigningRequestCondition{"CertificateSigningRequestCondition",
                                                      kCertificateSigningRequestConditionF};

constexpr Field kCertificateSigningRequestStatusF[] = {
    {1, "conditions", T::Message, kList, &kCertificateSigningRequestCondition},
    {2, "certificate", T::Bytes, kOmit},
};
constexpr Message kCertificateSigningRequestStatus{"CertificateSigningRequestStatus",
                                                   kCertificateSigningRequestStatusF};

constexpr Field kCertificateSigningRequestF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, 0, &kCertificateSigningRequestSpec},
    {3, "status", T::Message, kOmit, &kCertificateSigningRequestStatus},
};
constexpr Message kCertificateSigningRequest{"CertificateSigningRequest",
                                             kCertificateSigningRequestF};

// --- authentication.k8s.io/v1

constexpr Field kBoundObjectReferenceF[] = {
    {1, "kind", T::String, kOmit},
    {2, "apiVersion", T::String, kOmit},
    {3, "name", T::String, kOmit},
    {4, "uid", T::String, kOmit},
};
constexpr Message kBoundObjectReference{"BoundObjectReference", kBoundObjectReferenceF};

constexpr Field kTokenRequestSpecF[] = {
    {1, "audiences", T::String, kListNull},
    {4, "expirationSeconds", T::Int64, kPtr},
    {3, "boundObjectRef", T::Message, kPtr, &kBoundObjectReference},
};
constexpr Message kTokenRequestSpec{"TokenRequestSpec", kTokenRequestSpecF};

constexpr Field kTokenRequestStatusF[] = {
    {1, "token", T::String},
    {2, "expirationTimestamp", T::Time},
};
constexpr Message kTokenRequestStatus{"TokenRequestStatus", kTokenRequestStatusF};

constexpr Field kTokenRequestF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, 0, &kTokenRequestSpec},
    {3, "status", T::Message, kOmit, &kTokenRequestStatus},
};
constexpr Message kTokenRequest{"TokenRequest", kTokenRequestF};

constexpr Field kUserInfoF[] = {
    {1, "username", T::String, kOmit},
    {2, "uid", T::String, kOmit},
    {3, "groups", T::String, kList},
    {4, "extra", T::Strings, kMapOmit},
};
constexpr Message kUserInfo{"UserInfo", kUserInfoF};

constexpr Field kSelfSubjectReviewStatusF[] = {
    {1, "userInfo", T::Message, kOmit, &kUserInfo},
};
constexpr Message kSelfSubjectReviewStatus{"SelfSubjectReviewStatus", kSelfSubjectReviewStatusF};

constexpr Field kSelfSubjectReviewF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "status", T::Message, kOmit, &kSelfSubjectReviewStatus},
};
constexpr Message kSelfSubjectReview{"SelfSubjectReview", kSelfSubjectReviewF};

// --- authorization.k8s.io/v1

constexpr Field kFieldSelectorRequirementF[] = {
    {1, "key", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kList},
};
constexpr Message kFieldSelectorRequirement{"FieldSelectorRequirement",
                                            kFieldSelectorRequirementF};

constexpr Field kFieldSelectorAttributesF[] = {
    {1, "rawSelector", T::String, kOmit},
    {2, "requirements", T::Message, kList, &kFieldSelectorRequirement},
};
constexpr Message kFieldSelectorAttributes{"FieldSelectorAttributes", kFieldSelectorAttributesF};

constexpr Field kLabelSelectorAttributesF[] = {
    {1, "rawSelector", T::String, kOmit},
    {2, "requirements", T::Message, kList, &kLabelSelectorRequirement},
};
constexpr Message kLabelSelectorAttributes{"LabelSelectorAttributes", kLabelSelectorAttributesF};

constexpr Field kResourceAttributesF[] = {
    {1, "namespace", T::String, kOmit},
    {2, "verb", T::String, kOmit},
    {3, "group", T::String, kOmit},
    {4, "version", T::String, kOmit},
    {5, "resource", T::String, kOmit},
    {6, "subresource", T::String, kOmit},
    {7, "name", T::String, kOmit},
    {8, "fieldSelector", T::Message, kPtr, &kFieldSelectorAttributes},
    {9, "labelSelector", T::Message, kPtr, &kLabelSelectorAttributes},
};
constexpr Message kResourceAttributes{"ResourceAttributes", kResourceAttributesF};

constexpr Field kNonResourceAttributesF[] = {
    {1, "path", T::String, kOmit},
    {2, "verb", T::String, kOmit},
};
constexpr Message kNonResourceAttributes{"NonResourceAttributes", kNonResourceAttributesF};

constexpr Field kSelfSubjectAccessReviewSpecF[] = {
    {1, "resourceAttributes", T::Message, kPtr, &kResourceAttributes},
    {2, "nonResourceAttributes", T::Message, kPtr, &kNonResourceAttributes},
};
constexpr Message kSelfSubjectAccessReviewSpec{"SelfSubjectAccessReviewSpec",
                                               kSelfSubjectAccessReviewSpecF};

constexpr Field kSubjectAccessReviewStatusF[] = {
    {1, "allowed", T::Bool},
    {4, "denied", T::Bool, kOmit},
    {2, "reason", T::String, kOmit},
    {3, "evaluationError", T::String, kOmit},
};
constexpr Message kSubjectAccessReviewStatus{"SubjectAccessReviewStatus",
                                             kSubjectAccessReviewStatusF};

constexpr Field kSelfSubjectAccessReviewF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, 0, &kSelfSubjectAccessReviewSpec},
    {3, "status", T::Message, kOmit, &kSubjectAccessReviewStatus},
};
constexpr Message kSelfSubjectAccessReview{"SelfSubjectAccessReview", kSelfSubjectAccessReviewF};

constexpr Field kSelfSubjectRulesReviewSpecF[] = {
    {1, "namespace", T::String, kOmit},
};
constexpr Message kSelfSubjectRulesReviewSpec{"SelfSubjectRulesReviewSpec",
                                              kSelfSubjectRulesReviewSpecF};

constexpr Field kResourceRuleF[] = {
    {1, "verbs", T::String, kListNull},
    {2, "apiGroups", T::String, kList},
    {3, "resources", T::String, kList},
    {4, "resourceNames", T::String, kList},
};
constexpr Message kResourceRule{"ResourceRule", kResourceRuleF};

constexpr Field kNonResourceRuleF[] = {
    {1, "verbs", T::String, kListNull},
    {2, "nonResourceURLs", T::String, kList},
};
constexpr Message kNonResourceRule{"NonResourceRule", kNonResourceRuleF};

constexpr Field kSubjectRulesReviewStatusF[] = {
    {1, "resourceRules", T::Message, kListNull, &kResourceRule},
    {2, "nonResourceRules", T::Message, kListNull, &kNonResourceRule},
    {3, "incomplete", T::Bool},
    {4, "evaluationError", T::String, kOmit},
};
constexpr Message kSubjectRulesReviewStatus{"SubjectRulesReviewStatus",
                                            kSubjectRulesReviewStatusF};

constexpr Field kSelfSubjectRulesReviewF[] = {
    {1, "metadata", T::Message, kOmit, &kObjectMeta},
    {2, "spec", T::Message, 0, &kSelfSubjectRulesReviewSpec},
    {3, "status", T::Message, kOmit, &kSubjectRulesReviewStatus},
};
constexpr Message kSelfSubjectRulesReview{"SelfSubjectRulesReview", kSelfSubjectRulesReviewF};

// --- the kinds an envelope may name

struct KindEntry {
    std::string_view api_version;
    std::string_view kind;
    const Message* message;
};

constexpr KindEntry kKinds[] = {
    {"v1", "Namespace", &kNamespace},
    {"v1", "ConfigMap", &kConfigMap},
    {"v1", "Secret", &kSecret},
    {"v1", "Service", &kService},
    {"v1", "ServiceAccount", &kServiceAccount},
    {"v1", "ResourceQuota", &kResourceQuota},
    {"v1", "Pod", &kPod},
    {"v1", "Event", &kEvent},
    {"coordination.k8s.io/v1", "Lease", &kLease},
    {"apps/v1", "Deployment", &kDeployment},
    {"batch/v1", "Job", &kJob},
    {"batch/v1", "CronJob", &kCronJob},
    {"rbac.authorization.k8s.io/v1", "Role", &kRole},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", &kRoleBinding},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", &kClusterRole},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", &kRoleBinding},
    {"networking.k8s.io/v1", "Ingress", &kIngress},
    {"policy/v1", "PodDisruptionBudget", &kPodDisruptionBudget},
    {"policy/v1", "Eviction", &kEviction},
    {"policy/v1beta1", "Eviction", &kEviction},
    {"scheduling.k8s.io/v1", "PriorityClass", &kPriorityClass},
    {"autoscaling/v1", "HorizontalPodAutoscaler", &kHorizontalPodAutoscaler},
    {"certificates.k8s.io/v1", "CertificateSigningRequest", &kCertificateSigningRequest},
    {"authentication.k8s.io/v1", "TokenRequest", &kTokenRequest},
    {"authentication.k8s.io/v1", "SelfSubjectReview", &kSelfSubjectReview},
    {"authentication.k8s.io/v1beta1", "SelfSubjectReview", &kSelfSubjectReview},
    {"authentication.k8s.io/v1alpha1", "SelfSubjectReview", &kSelfSubjectReview},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", &kSelfSubjectAccessReview},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview", &kSelfSubjectRulesReview},
};

// clang-format on

const Message* find_kind(std::string_view api_version, std::string_view kind) {
    // Every group version registers the option types (metav1.AddToGroupVersion), so a
    // client's DeleteOptions carries whatever version its client was made for.
    if (kind == "DeleteOptions") {
        return &kDeleteOptions;
    }
    for (const auto& entry : kKinds) {
        if (entry.api_version == api_version && entry.kind == kind) {
            return entry.message;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Value conversions

// Length of the valid UTF-8 sequence at the start of `s`, 0 when there is none.
std::size_t utf8_sequence(std::string_view s) {
    auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
    auto cont = [&](std::size_t i, std::uint8_t lo = 0x80, std::uint8_t hi = 0xbf) {
        return i < s.size() && at(i) >= lo && at(i) <= hi;
    };
    std::uint8_t b = at(0);
    if (b < 0x80) {
        return 1;
    }
    if (b >= 0xc2 && b <= 0xdf) {
        return cont(1) ? 2 : 0;
    }
    if (b >= 0xe0 && b <= 0xef) {
        std::uint8_t lo = b == 0xe0 ? 0xa0 : 0x80;
        std::uint8_t hi = b == 0xed ? 0x9f : 0xbf;  // no surrogates
        return cont(1, lo, hi) && cont(2) ? 3 : 0;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        std::uint8_t lo = b == 0xf0 ? 0x90 : 0x80;
        std::uint8_t hi = b == 0xf4 ? 0x8f : 0xbf;  // nothing above U+10FFFF
        return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

// A Go string as encoding/json writes it: each byte that starts no valid sequence is U+FFFD.
json::string go_string(std::string_view s) {
    json::string out;
    out.reserve(s.size());
    while (!s.empty()) {
        std::size_t n = utf8_sequence(s);
        if (n == 0) {
            out.append("\xef\xbf\xbd");
            n = 1;
        } else {
            out.append(s.substr(0, n));
        }
        s.remove_prefix(n);
    }
    return out;
}

json::string base64(std::string_view in) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    json::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16 |
                          static_cast<std::uint8_t>(in[i + 1]) << 8 |
                          static_cast<std::uint8_t>(in[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) {
            out.push_back(kAlphabet[(v >> shift) & 63]);
        }
    }
    if (std::size_t rest = in.size() - i; rest > 0) {
        std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16;
        if (rest == 2) {
            v |= static_cast<std::uint8_t>(in[i + 1]) << 8;
        }
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
void civil_from_days(std::int64_t z, std::int64_t& year, unsigned& month, unsigned& day) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

constexpr std::int64_t kMinSeconds = -62167219200;  // 0000-01-01T00:00:00Z
constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// RFC 3339 in UTC, with `micros` >= 0 adding six fractional digits; nullopt out of range.
std::optional<std::string> rfc3339(std::int64_t seconds, int micros) {
    if (seconds < kMinSeconds || seconds > kMaxSeconds) {
        return std::nullopt;
    }
    std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    std::int64_t rem = seconds - days * 86400;
    std::int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days, year, month, day);
    char buf[40];
    int n =
        std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                      static_cast<long long>(year), month, day, static_cast<long long>(rem / 3600),
                      static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    std::string out(buf, static_cast<std::size_t>(n));
    if (micros >= 0) {
        std::snprintf(buf, sizeof buf, ".%06d", micros);
        out += buf;
    }
    out += 'Z';
    return out;
}

bool is_scalar(T type) {
    return type == T::String || type == T::Bytes || type == T::Int32 || type == T::Int64 ||
           type == T::Bool;
}

// The length-delimited fields of the well-known types.
bool is_text_field(T type, std::uint64_t number) {
    switch (type) {
        case T::Quantity:
        case T::Raw:
        case T::Strings:
            return number == 1;
        case T::IntOrString:
            return number == 3;
        default:
            return false;
    }
}

// Their varint fields: Time/MicroTime {1 seconds, 2 nanos}, IntOrString {1 type, 2 intVal}.
bool is_int_field(T type, std::uint64_t number) {
    return (type == T::Time || type == T::MicroTime || type == T::IntOrString) &&
           (number == 1 || number == 2);
}

std::uint32_t wire_of(T type) {
    return type == T::Int32 || type == T::Int64 || type == T::Bool ? kVarint : kLen;
}

// ---------------------------------------------------------------------------------------------
// Decoding

// What one field collected while its message was read.
struct Slot {
    bool set = false;
    json::value value;                    // scalar: the last value; list: array; map: object
    std::vector<std::string_view> parts;  // singular message-like: every occurrence, merged
};

class Decoder {
public:
    // Fills `out` (which may already hold members) with `m` read from the concatenation of
    // `parts`, as protobuf merges repeated occurrences of a message.
    Status fill(const Message& m, std::span<const std::string_view> parts, int depth,
                json::object& out);

    Status fail(std::string_view what) const {
        std::string message = "invalid protobuf body: ";
        if (!path_.empty()) {
            message += path_;
            message += ": ";
        }
        message += what;
        return base::bad_request(std::move(message));
    }

private:
    // Appends a step to the path for the life of a scope.
    class Step {
    public:
        Step(std::string& path, std::string_view name) : path_(path), size_(path.size()) {
            if (!name.empty() && name.front() != '[' && !path.empty()) {
                path_ += '.';
            }
            path_ += name;
        }
        ~Step() { path_.resize(size_); }
        Step(const Step&) = delete;
        Step& operator=(const Step&) = delete;

    private:
        std::string& path_;
        std::size_t size_;
    };

    Status read(const Field& f, std::uint32_t wire, Reader& r, Slot& slot, int depth);
    Result<json::value> scalar(T type, std::uint32_t wire, Reader& r);
    Result<json::value> convert(const Field& f, std::span<const std::string_view> parts, int depth);
    Result<json::value> map_value(const Field& f, std::string_view entry, json::string& key,
                                  int depth);
    Status emit(const Field& f, Slot& slot, int depth, json::object& out);

    std::string path_;
};

Status Decoder::fill(const Message& m, std::span<const std::string_view> parts, int depth,
                     json::object& out) {
    if (depth > kMaxDepth) {
        return fail("messages nested too deeply");
    }
    std::vector<Slot> slots(m.fields.size());
    for (std::string_view part : parts) {
        Reader r(part);
        while (!r.done()) {
            std::uint64_t number = 0;
            std::uint32_t wire = 0;
            if (const char* e = r.tag(number, wire)) {
                return fail(e);
            }
            const Field* field = nullptr;
            for (const Field& f : m.fields) {
                if (f.number == number) {
                    field = &f;
                    break;
                }
            }
            if (field == nullptr) {
                if (const char* e = r.skip(wire, number, depth)) {
                    return fail("field " + std::to_string(number) + ": " + e);
                }
                continue;
            }
            Status s = read(*field, wire, r, slots[field - m.fields.data()], depth);
            if (!s.ok()) {
                return s;
            }
        }
    }
    for (std::size_t i = 0; i < m.fields.size(); ++i) {
        Status s = emit(m.fields[i], slots[i], depth, out);
        if (!s.ok()) {
            return s;
        }
    }
    return {};
}

Result<json::value> Decoder::scalar(T type, std::uint32_t wire, Reader& r) {
    if (wire != wire_of(type)) {
        return fail("wire type " + std::to_string(wire) + ", want " +
                    std::to_string(wire_of(type)));
    }
    if (wire == kLen) {
        std::string_view bytes;
        if (const char* e = r.bytes(bytes)) {
            return fail(e);
        }
        return json::value(type == T::Bytes ? base64(bytes) : go_string(bytes));
    }
    std::uint64_t v = 0;
    if (const char* e = r.varint(v)) {
        return fail(e);
    }
    switch (type) {
        case T::Bool:
            return json::value(v != 0);
        case T::Int32:
            // As Go's generated code: the low 32 bits, so negatives (10-byte varints) survive.
            return json::value(static_cast<std::int64_t>(static_cast<std::int32_t>(v)));
        default:
            return json::value(static_cast<std::int64_t>(v));
    }
}

Status Decoder::read(const Field& f, std::uint32_t wire, Reader& r, Slot& slot, int depth) {
    Step step(path_, f.json);
    if ((f.flags & kMap) != 0) {
        if (wire != kLen) {
            return fail("wire type " + std::to_string(wire) + ", want 2");
        }
        std::string_view entry;
        if (const char* e = r.bytes(entry)) {
            return fail(e);
        }
        json::string key;
        auto value = map_value(f, entry, key, depth);
        if (!value) {
            return value.status();
        }
        if (!slot.set) {
            slot.value = json::object();
            slot.set = true;
        }
        slot.value.get_object()[key] = std::move(*value);
        return {};
    }
    if ((f.flags & kRepeated) != 0) {
        if (!slot.set) {
            slot.value = json::array();
            slot.set = true;
        }
        auto& items = slot.value.get_array();
        if (is_scalar(f.type)) {
            if (wire == kLen && wire_of(f.type) == kVarint) {
                // A packed list of varints.
                std::string_view packed;
                if (const char* e = r.bytes(packed)) {
                    return fail(e);
                }
                Reader p(packed);
                while (!p.done()) {
                    auto v = scalar(f.type, kVarint, p);
                    if (!v) {
                        return v.status();
                    }
                    items.push_back(std::move(*v));
                }
                return {};
            }
            auto v = scalar(f.type, wire, r);
            if (!v) {
                return v.status();
            }
            items.push_back(std::move(*v));
            return {};
        }
        if (wire != kLen) {
            return fail("wire type " + std::to_string(wire) + ", want 2");
        }
        std::string_view part;
        if (const char* e = r.bytes(part)) {
            return fail(e);
        }
        Step index(path_, "[" + std::to_string(items.size()) + "]");
        auto v = convert(f, std::span<const std::string_view>(&part, 1), depth);
        if (!v) {
            return v.status();
        }
        items.push_back(std::move(*v));
        return {};
    }
    if (is_scalar(f.type)) {
        auto v = scalar(f.type, wire, r);
        if (!v) {
            return v.status();
        }
        slot.value = std::move(*v);
        slot.set = true;
        return {};
    }
    if (wire != kLen) {
        return fail("wire type " + std::to_string(wire) + ", want 2");
    }
    std::string_view part;
    if (const char* e = r.bytes(part)) {
        return fail(e);
    }
    slot.parts.push_back(part);
    slot.set = true;
    return {};
}

// Reads a map entry {1 key, 2 value}; a missing key or value is the zero value, as in Go.
Result<json::value> Decoder::map_value(const Field& f, std::string_view entry, json::string& key,
                                       int depth) {
    Reader r(entry);
    std::vector<std::string_view> parts;
    json::value scalar_value;
    bool has_scalar = false;
    while (!r.done()) {
        std::uint64_t number = 0;
        std::uint32_t wire = 0;
        if (const char* e = r.tag(number, wire)) {
            return fail(e);
        }
        if (number == 1) {
            auto k = scalar(T::String, wire, r);
            if (!k) {
                return k.status();
            }
            key = std::move(k->get_string());
        } else if (number == 2 && is_scalar(f.type)) {
            auto v = scalar(f.type, wire, r);
            if (!v) {
                return v.status();
            }
            scalar_value = std::move(*v);
            has_scalar = true;
        } else if (number == 2) {
            if (wire != kLen) {
                return fail("wire type " + std::to_string(wire) + ", want 2");
            }
            std::string_view part;
            if (const char* e = r.bytes(part)) {
                return fail(e);
            }
            parts.push_back(part);
        } else if (const char* e = r.skip(wire, number, depth)) {
            return fail("field " + std::to_string(number) + ": " + e);
        }
    }
    Step step(path_, "[" + std::string(key) + "]");
    if (is_scalar(f.type)) {
        if (has_scalar) {
            return scalar_value;
        }
        switch (f.type) {
            case T::String:
            case T::Bytes:
                return json::value(json::string());
            case T::Bool:
                return json::value(false);
            default:
                return json::value(std::int64_t{0});
        }
    }
    return convert(f, parts, depth);
}

// The JSON of a message-like field read from `parts` (none: the field was absent).
Result<json::value> Decoder::convert(const Field& f, std::span<const std::string_view> parts,
                                     int depth) {
    switch (f.type) {
        case T::Message:
        case T::Inline: {
            json::object out;
            Status s = fill(*f.message, parts, depth + 1, out);
            if (!s.ok()) {
                return s;
            }
            return json::value(std::move(out));
        }
        default:
            break;
    }
    // The well-known types: read their few fields, last occurrence winning.
    std::int64_t ints[4] = {0, 0, 0, 0};
    std::string_view text;
    bool has_text = false;
    bool empty = true;
    json::array strings;
    for (std::string_view part : parts) {
        empty = empty && part.empty();
        Reader r(part);
        while (!r.done()) {
            std::uint64_t number = 0;
            std::uint32_t wire = 0;
            if (const char* e = r.tag(number, wire)) {
                return fail(e);
            }
            const bool text_field = is_text_field(f.type, number);
            const bool int_field = is_int_field(f.type, number);
            if (text_field) {
                if (wire != kLen) {
                    return fail("field " + std::to_string(number) + ": wire type " +
                                std::to_string(wire) + ", want 2");
                }
                if (const char* e = r.bytes(text)) {
                    return fail(e);
                }
                has_text = true;
                if (f.type == T::Strings) {
                    strings.push_back(json::value(go_string(text)));
                }
            } else if (int_field) {
                if (wire != kVarint) {
                    return fail("field " + std::to_string(number) + ": wire type " +
                                std::to_string(wire) + ", want 0");
                }
                std::uint64_t v = 0;
                if (const char* e = r.varint(v)) {
                    return fail(e);
                }
                ints[number] = static_cast<std::int64_t>(v);
            } else if (const char* e = r.skip(wire, number, depth)) {
                return fail("field " + std::to_string(number) + ": " + e);
            }
        }
    }
    switch (f.type) {
        case T::Time:
        case T::MicroTime: {
            // Go encodes the zero time as no bytes at all.
            if (empty) {
                return json::value(nullptr);
            }
            // metav1.Time keeps whole seconds only; checked before any carry can overflow.
            std::int64_t seconds = ints[1];
            if (seconds < kMinSeconds || seconds > kMaxSeconds) {
                return fail("time out of range");
            }
            int micros = -1;
            if (f.type == T::MicroTime) {
                // time.Unix(seconds, nanos) normalizes nanos into [0, 1e9).
                auto nanos = static_cast<std::int64_t>(static_cast<std::int32_t>(ints[2]));
                std::int64_t carry =
                    nanos >= 0 ? nanos / 1000000000 : -((999999999 - nanos) / 1000000000);
                seconds += carry;
                micros = static_cast<int>((nanos - carry * 1000000000) / 1000);
            }
            auto text_time = rfc3339(seconds, micros);
            if (!text_time) {
                return fail("time out of range");
            }
            return json::value(json::string(*text_time));
        }
        case T::IntOrString:
            switch (ints[1]) {
                case 0:
                    return json::value(
                        static_cast<std::int64_t>(static_cast<std::int32_t>(ints[2])));
                case 1:
                    return json::value(go_string(text));
                default:
                    return fail("IntOrString type " + std::to_string(ints[1]) +
                                " is neither 0 (int) nor 1 (string)");
            }
        case T::Quantity: {
            if (!has_text) {
                return json::value("0");
            }
            auto q = Quantity::parse(text);
            if (!q) {
                return fail("quantity \"" + std::string(go_string(text)) +
                            "\": " + q.status().message());
            }
            return q->to_json();
        }
        case T::Raw: {
            if (!has_text) {
                return json::value(nullptr);
            }
            auto parsed = base::parse_json(text);
            if (!parsed) {
                return fail("embedded JSON: " + parsed.status().message());
            }
            return std::move(*parsed);
        }
        case T::Strings:
            if (strings.empty()) {
                return json::value(nullptr);
            }
            return json::value(std::move(strings));
        default:
            return fail("unsupported field type");
    }
}

bool is_empty(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return true;
        case json::kind::bool_:
            return !v.get_bool();
        case json::kind::int64:
            return v.get_int64() == 0;
        case json::kind::string:
            return v.get_string().empty();
        default:
            return false;
    }
}

// Writes one field as encoding/json would write its Go value.
Status Decoder::emit(const Field& f, Slot& slot, int depth, json::object& out) {
    const bool omit = (f.flags & kOmit) != 0;
    if ((f.flags & (kMap | kRepeated)) != 0) {
        if (slot.set) {
            if ((f.flags & kMap) != 0) {
                // encoding/json sorts map keys.
                auto& entries = slot.value.get_object();
                std::vector<std::pair<json::string, json::value>> sorted;
                sorted.reserve(entries.size());
                for (auto& [k, v] : entries) {
                    sorted.emplace_back(json::string(k), std::move(v));
                }
                std::sort(sorted.begin(), sorted.end(),
                          [](const auto& a, const auto& b) { return a.first < b.first; });
                json::object ordered;
                ordered.reserve(sorted.size());
                for (auto& [k, v] : sorted) {
                    ordered.emplace(k, std::move(v));
                }
                out[f.json] = std::move(ordered);
            } else {
                out[f.json] = std::move(slot.value);
            }
        } else if (!omit) {
            out[f.json] = nullptr;
        }
        return {};
    }
    if ((f.flags & kPointer) != 0 && !slot.set) {
        if (!omit) {
            out[f.json] = nullptr;
        }
        return {};
    }
    if (is_scalar(f.type)) {
        if (!slot.set) {
            switch (f.type) {
                case T::String:
                    slot.value = json::string();
                    break;
                case T::Bool:
                    slot.value = false;
                    break;
                case T::Bytes:
                    break;  // a nil []byte: null
                default:
                    slot.value = std::int64_t{0};
                    break;
            }
        }
        if (omit && (f.flags & kPointer) == 0 && is_empty(slot.value)) {
            return {};
        }
        out[f.json] = std::move(slot.value);
        return {};
    }
    Step step(path_, f.json);
    auto v = convert(f, slot.parts, depth);
    if (!v) {
        return v.status();
    }
    if (f.type == T::Inline) {
        for (auto& [k, member] : v->get_object()) {
            out[k] = std::move(member);
        }
        return {};
    }
    // Go writes a zero metav1.Time as null even with omitempty; leaving it out reads the same.
    if ((f.type == T::Time || f.type == T::MicroTime) && v->is_null() && omit) {
        return {};
    }
    out[f.json] = std::move(*v);
    return {};
}

}  // namespace

bool is_protobuf_envelope(std::string_view body) {
    return body.substr(0, kMagic.size()) == kMagic;
}

base::Result<boost::json::value> decode_protobuf(std::string_view body) {
    Decoder decoder;
    if (!is_protobuf_envelope(body)) {
        return decoder.fail("missing the \"k8s\\x00\" prefix");
    }
    // runtime.Unknown {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding,
    // 4 contentType}; contentType is not consulted, as upstream does not.
    Reader r(body.substr(kMagic.size()));
    std::string_view api_version;
    std::string_view kind;
    std::string_view raw;
    std::string_view content_encoding;
    while (!r.done()) {
        std::uint64_t number = 0;
        std::uint32_t wire = 0;
        if (const char* e = r.tag(number, wire)) {
            return decoder.fail(std::string("envelope: ") + e);
        }
        if (number > 4) {
            if (const char* e = r.skip(wire, number, 0)) {
                return decoder.fail("envelope: field " + std::to_string(number) + ": " + e);
            }
            continue;
        }
        if (wire != kLen) {
            return decoder.fail("envelope: field " + std::to_string(number) + ": wire type " +
                                std::to_string(wire) + ", want 2");
        }
        std::string_view value;
        if (const char* e = r.bytes(value)) {
            return decoder.fail("envelope: field " + std::to_string(number) + ": " + e);
        }
        switch (number) {
            case 1: {
                Reader t(value);
                while (!t.done()) {
                    std::uint64_t tn = 0;
                    std::uint32_t tw = 0;
                    if (const char* e = t.tag(tn, tw)) {
                        return decoder.fail(std::string("envelope: typeMeta: ") + e);
                    }
                    if ((tn == 1 || tn == 2) && tw == kLen) {
                        std::string_view s;
                        if (const char* e = t.bytes(s)) {
                            return decoder.fail(std::string("envelope: typeMeta: ") + e);
                        }
                        (tn == 1 ? api_version : kind) = s;
                    } else if (tn == 1 || tn == 2) {
                        return decoder.fail("envelope: typeMeta: field " + std::to_string(tn) +
                                            ": wire type " + std::to_string(tw) + ", want 2");
                    } else if (const char* e = t.skip(tw, tn, 0)) {
                        return decoder.fail(std::string("envelope: typeMeta: ") + e);
                    }
                }
                break;
            }
            case 2:
                raw = value;
                break;
            case 3:
                content_encoding = value;
                break;
            default:
                break;
        }
    }
    if (kind.empty()) {
        return decoder.fail("the envelope names no kind");
    }
    std::string gvk =
        std::string(go_string(api_version)) + ", Kind=" + std::string(go_string(kind));
    if (!content_encoding.empty()) {
        return Status(base::Reason::UnsupportedMediaType,
                      "protobuf body for " + gvk + " has content encoding \"" +
                          std::string(go_string(content_encoding)) +
                          "\", which is not supported; send application/json instead");
    }
    const Message* message = find_kind(api_version, kind);
    if (message == nullptr) {
        return Status(base::Reason::UnsupportedMediaType,
                      "protobuf bodies of " + gvk +
                          " are not supported; send it as application/json instead");
    }
    json::object out;
    out["kind"] = go_string(kind);
    out["apiVersion"] = go_string(api_version);
    Status s = decoder.fill(*message, std::span<const std::string_view>(&raw, 1), 0, out);
    if (!s.ok()) {
        return s;
    }
    return json::value(std::move(out));
}

}  // namespace skiff::api
