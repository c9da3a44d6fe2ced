// Schema text of core/v1 storage: pod volumes and their sources, persistent volumes and claims.
// The format is described in builtin_schemas.cpp. In-tree sources that upstream deprecated or
// removed keep their names but accept any fields (`open`).
#include <string_view>

namespace skiff::api::schema_text {

extern const std::string_view kCoreVolumes;
const std::string_view kCoreVolumes = R"schema(
package core.v1

Volume ; A named volume of a pod; exactly one source is set (emptyDir when none is).
  name!: string ; The volume's name, a DNS label unique within the pod.
  hostPath: HostPathVolumeSource ; A file or directory of the node.
  emptyDir: EmptyDirVolumeSource ; An empty directory that lives as long as the pod.
  gcePersistentDisk: GCEPersistentDiskVolumeSource ; Deprecated: a GCE persistent disk.
  awsElasticBlockStore: AWSElasticBlockStoreVolumeSource ; Deprecated: an AWS EBS volume.
  gitRepo: GitRepoVolumeSource ; Deprecated: a directory with a git repository cloned into it.
  secret: SecretVolumeSource ; The keys of a secret as files.
  nfs: NFSVolumeSource ; An NFS export.
  iscsi: ISCSIVolumeSource ; An iSCSI disk.
  glusterfs: GlusterfsVolumeSource ; Deprecated: a GlusterFS volume.
  persistentVolumeClaim: PersistentVolumeClaimVolumeSource ; The volume bound to a claim in the pod's namespace.
  rbd: RBDVolumeSource ; Deprecated: a Ceph RBD image.
  flexVolume: FlexVolumeSource ; Deprecated: a volume mounted by a FlexVolume driver.
  cinder: CinderVolumeSource ; Deprecated: an OpenStack Cinder volume.
  cephfs: CephFSVolumeSource ; Deprecated: a CephFS filesystem.
  flocker: FlockerVolumeSource ; Deprecated: a Flocker dataset.
  downwardAPI: DownwardAPIVolumeSource ; Fields of the pod as files.
  fc: FCVolumeSource ; A Fibre Channel disk.
  azureFile: AzureFileVolumeSource ; Deprecated: an Azure File share.
  configMap: ConfigMapVolumeSource ; The keys of a config map as files.
  vsphereVolume: VsphereVirtualDiskVolumeSource ; Deprecated: a vSphere virtual disk.
  quobyte: QuobyteVolumeSource ; Deprecated: a Quobyte volume.
  azureDisk: AzureDiskVolumeSource ; Deprecated: an Azure data disk.
  photonPersistentDisk: PhotonPersistentDiskVolumeSource ; Deprecated: a Photon Controller disk.
  projected: ProjectedVolumeSource ; Secrets, config maps, pod fields and tokens in one directory.
  portworxVolume: PortworxVolumeSource ; Deprecated: a Portworx volume.
  scaleIO: ScaleIOVolumeSource ; Deprecated: a ScaleIO volume.
  storageos: StorageOSVolumeSource ; Deprecated: a StorageOS volume.
  csi: CSIVolumeSource ; An inline volume provided by a CSI driver.
  ephemeral: EphemeralVolumeSource ; A volume from a claim made for the pod and deleted with it.

HostPathVolumeSource ; A path on the node.
  path!: string ; The path; a symlink is followed.
  type: string enum=""|DirectoryOrCreate|Directory|FileOrCreate|File|Socket|CharDevice|BlockDevice default="" ; What must be at the path; empty checks nothing.

EmptyDirVolumeSource ; An empty directory for the pod's lifetime.
  medium: string ; The storage medium: empty for the node's default, Memory for tmpfs, or HugePages.
  sizeLimit: quantity ; The most storage the directory may use.

GCEPersistentDiskVolumeSource ; A GCE persistent disk.
  pdName!: string ; The disk's name.
  fsType: string ; The filesystem type, e.g. ext4.
  partition: int32 ; The partition to mount; the whole disk when 0.
  readOnly: bool ; Whether the disk is mounted read-only.

AWSElasticBlockStoreVolumeSource ; An AWS EBS volume.
  volumeID!: string ; The volume's ID.
  fsType: string ; The filesystem type, e.g. ext4.
  partition: int32 ; The partition to mount; the whole volume when 0.
  readOnly: bool ; Whether the volume is mounted read-only.

GitRepoVolumeSource ; A git repository cloned into an empty directory.
  repository!: string ; The repository URL.
  revision: string ; The commit to check out.
  directory: string ; The directory to clone into, relative to the volume root.

SecretVolumeSource ; A secret's keys as files.
  secretName: string ; The secret, in the pod's namespace.
  items: []KeyToPath list=atomic ; Which keys to project and where; all keys by their names when unset.
  defaultMode: int32 default=420 ; The permission bits of the files, 0644 by default.
  optional: bool ; Whether the secret or its keys may be missing.

KeyToPath ; A key projected to a file.
  key!: string ; The key.
  path!: string ; The relative file path.
  mode: int32 ; The file's permission bits; defaultMode when unset.

NFSVolumeSource ; An NFS export.
  server!: string ; The NFS server's host name or IP.
  path!: string ; The exported path.
  readOnly: bool ; Whether the export is mounted read-only.

ISCSIVolumeSource ; An iSCSI disk.
  targetPortal!: string ; The target portal, as IP or IP:port.
  iqn!: string ; The target's iSCSI qualified name.
  lun!: int32 ; The target's LUN.
  iscsiInterface: string default="default" ; The iSCSI interface to use.
  fsType: string ; The filesystem type, e.g. ext4.
  readOnly: bool ; Whether the disk is mounted read-only.
  portals: []string list=atomic ; Further target portals.
  chapAuthDiscovery: bool ; Whether CHAP discovery authentication is used.
  chapAuthSession: bool ; Whether CHAP session authentication is used.
  secretRef: LocalObjectReference ; The secret with the CHAP credentials.
  initiatorName: string ; A custom initiator name.

ISCSIPersistentVolumeSource copy=ISCSIVolumeSource ; An iSCSI disk of a persistent volume.
  secretRef: SecretReference ; The secret with the CHAP credentials.

PersistentVolumeClaimVolumeSource ; A claim whose volume a pod mounts.
  claimName!: string ; The claim, in the pod's namespace.
  readOnly: bool ; Whether the volume is mounted read-only.

FlexVolumeSource ; A volume mounted by a FlexVolume driver.
  driver!: string ; The driver's name.
  fsType: string ; The filesystem type.
  secretRef: LocalObjectReference ; A secret passed to the driver.
  readOnly: bool ; Whether the volume is mounted read-only.
  options: {}string ; Driver-specific options.

FlexPersistentVolumeSource copy=FlexVolumeSource ; A persistent volume mounted by a FlexVolume driver.
  secretRef: SecretReference ; A secret passed to the driver.

FCVolumeSource ; A Fibre Channel disk.
  targetWWNs: []string list=atomic ; The target world wide names.
  lun: int32 ; The target's LUN.
  fsType: string ; The filesystem type.
  readOnly: bool ; Whether the disk is mounted read-only.
  wwids: []string list=atomic ; The volume's world wide identifiers, instead of targetWWNs and lun.

DownwardAPIVolumeSource ; Fields of the pod as files.
  items: []DownwardAPIVolumeFile list=atomic ; The files.
  defaultMode: int32 default=420 ; The permission bits of the files, 0644 by default.

DownwardAPIVolumeFile ; A pod field as a file.
  path!: string ; The relative file path.
  fieldRef: ObjectFieldSelector ; A field of the pod's metadata.
  resourceFieldRef: ResourceFieldSelector ; A resource limit or request of a container.
  mode: int32 ; The file's permission bits; defaultMode when unset.

ConfigMapVolumeSource ; A config map's keys as files.
  name: string ; The config map, in the pod's namespace.
  items: []KeyToPath list=atomic ; Which keys to project and where; all keys by their names when unset.
  defaultMode: int32 default=420 ; The permission bits of the files, 0644 by default.
  optional: bool ; Whether the config map or its keys may be missing.

ProjectedVolumeSource ; Several sources in one directory.
  sources: []VolumeProjection list=atomic ; The sources.
  defaultMode: int32 default=420 ; The permission bits of the files, 0644 by default.

VolumeProjection ; One source of a projected volume; exactly one is set.
  secret: SecretProjection ; Keys of a secret.
  downwardAPI: DownwardAPIProjection ; Fields of the pod.
  configMap: ConfigMapProjection ; Keys of a config map.
  serviceAccountToken: ServiceAccountTokenProjection ; A token of the pod's service account.

SecretProjection ; Keys of a secret in a projected volume.
  name: string ; The secret's name.
  items: []KeyToPath list=atomic ; Which keys to project and where; all keys when unset.
  optional: bool ; Whether the secret or its keys may be missing.

ConfigMapProjection ; Keys of a config map in a projected volume.
  name: string ; The config map's name.
  items: []KeyToPath list=atomic ; Which keys to project and where; all keys when unset.
  optional: bool ; Whether the config map or its keys may be missing.

DownwardAPIProjection ; Pod fields in a projected volume.
  items: []DownwardAPIVolumeFile list=atomic ; The files.

ServiceAccountTokenProjection ; A service account token in a projected volume, renewed by the kubelet.
  audience: string ; The audience the token is for; the API server when unset.
  expirationSeconds: int64 default=3600 ; The requested lifetime of the token, at least 600 seconds.
  path!: string ; The relative file path.

CSIVolumeSource ; An inline volume of a CSI driver.
  driver!: string ; The driver's name.
  readOnly: bool ; Whether the volume is mounted read-only.
  fsType: string ; The filesystem type.
  volumeAttributes: {}string ; Driver-specific attributes.
  nodePublishSecretRef: LocalObjectReference ; A secret passed to the driver's publish calls.

EphemeralVolumeSource ; A volume from a claim made for the pod.
  volumeClaimTemplate: PersistentVolumeClaimTemplate ; The claim to make; it is owned by the pod.

PersistentVolumeClaimTemplate ; The metadata and spec of a claim made from a template.
  metadata: meta.v1.ObjectMeta ; Labels and annotations of the claim.
  spec!: PersistentVolumeClaimSpec ; The spec of the claim.

LocalVolumeSource ; A local disk, partition or directory of a node.
  path!: string ; The full path on the node.
  fsType: string ; The filesystem type, for a block device.

CSIPersistentVolumeSource ; A persistent volume provided by a CSI driver.
  driver!: string ; The driver's name.
  volumeHandle!: string ; The driver's ID of the volume.
  readOnly: bool ; Whether the volume is published read-only.
  fsType: string ; The filesystem type.
  volumeAttributes: {}string ; Driver-specific attributes.
  controllerPublishSecretRef: SecretReference ; A secret passed to ControllerPublishVolume.
  nodeStageSecretRef: SecretReference ; A secret passed to NodeStageVolume.
  nodePublishSecretRef: SecretReference ; A secret passed to NodePublishVolume.
  controllerExpandSecretRef: SecretReference ; A secret passed to ControllerExpandVolume.
  nodeExpandSecretRef: SecretReference ; A secret passed to NodeExpandVolume.

GlusterfsVolumeSource open ; Deprecated GlusterFS volume; its fields are kept as sent.
GlusterfsPersistentVolumeSource open ; Deprecated GlusterFS volume; its fields are kept as sent.
RBDVolumeSource open ; Deprecated Ceph RBD image; its fields are kept as sent.
RBDPersistentVolumeSource open ; Deprecated Ceph RBD image; its fields are kept as sent.
CinderVolumeSource open ; Deprecated OpenStack Cinder volume; its fields are kept as sent.
CinderPersistentVolumeSource open ; Deprecated OpenStack Cinder volume; its fields are kept as sent.
CephFSVolumeSource open ; Deprecated CephFS filesystem; its fields are kept as sent.
CephFSPersistentVolumeSource open ; Deprecated CephFS filesystem; its fields are kept as sent.
FlockerVolumeSource open ; Deprecated Flocker dataset; its fields are kept as sent.
AzureFileVolumeSource open ; Deprecated Azure File share; its fields are kept as sent.
AzureFilePersistentVolumeSource open ; Deprecated Azure File share; its fields are kept as sent.
VsphereVirtualDiskVolumeSource open ; Deprecated vSphere virtual disk; its fields are kept as sent.
QuobyteVolumeSource open ; Deprecated Quobyte volume; its fields are kept as sent.
AzureDiskVolumeSource open ; Deprecated Azure data disk; its fields are kept as sent.
PhotonPersistentDiskVolumeSource open ; Deprecated Photon Controller disk; its fields are kept as sent.
PortworxVolumeSource open ; Deprecated Portworx volume; its fields are kept as sent.
ScaleIOVolumeSource open ; Deprecated ScaleIO volume; its fields are kept as sent.
ScaleIOPersistentVolumeSource open ; Deprecated ScaleIO volume; its fields are kept as sent.
StorageOSVolumeSource open ; Deprecated StorageOS volume; its fields are kept as sent.
StorageOSPersistentVolumeSource open ; Deprecated StorageOS volume; its fields are kept as sent.

PersistentVolumeClaimSpec ; What a claim asks for.
  accessModes: []string enum=ReadWriteOnce|ReadOnlyMany|ReadWriteMany|ReadWriteOncePod list=atomic ; How the volume must be mountable.
  selector: meta.v1.LabelSelector ; Labels of the existing volumes that may be bound.
  resources: VolumeResourceRequirements ; The storage the volume must have at least.
  volumeName: string ; The volume to bind to, by name.
  storageClassName: string ; The StorageClass; the default class when unset, none when "".
  volumeMode: string enum=Block|Filesystem default="Filesystem" ; Whether the volume is a filesystem or a raw block device.
  dataSource: TypedLocalObjectReference ; A snapshot or claim to fill the new volume from.
  dataSourceRef: TypedObjectReference ; Any populator object to fill the new volume from.
  volumeAttributesClassName: string ; The VolumeAttributesClass to apply to the volume.

VolumeResourceRequirements ; The storage resources of a claim.
  limits: {}quantity ; The most storage allowed.
  requests: {}quantity ; The least storage required.

PersistentVolumeClaimStatus ; The observed state of a claim.
  phase: string enum=Pending|Bound|Lost ; Whether the claim is bound.
  accessModes: []string list=atomic ; The access modes of the bound volume.
  capacity: {}quantity ; The capacity of the bound volume.
  conditions: []PersistentVolumeClaimCondition merge=type list=map keys=type ; The claim's current conditions, e.g. Resizing.
  allocatedResources: {}quantity ; The storage allocated to the claim, which may exceed the request during a resize.
  allocatedResourceStatuses: {}string maptype=granular ; The state of a resize, by resource.
  currentVolumeAttributesClassName: string ; The VolumeAttributesClass applied to the volume now.
  modifyVolumeStatus: ModifyVolumeStatus ; The state of a change of VolumeAttributesClass.

PersistentVolumeClaimCondition ; One aspect of a claim's state.
  type!: string ; The aspect, e.g. Resizing.
  status!: string enum=True|False|Unknown ; Whether the condition holds.
  lastProbeTime: time ; When the condition was last checked.
  lastTransitionTime: time ; When the status last changed.
  reason: string ; Why the status last changed, in CamelCase.
  message: string ; Why the status last changed, for people.

ModifyVolumeStatus ; The state of a volume modification.
  targetVolumeAttributesClassName: string ; The class being applied.
  status!: string enum=Pending|InProgress|Infeasible ; How the modification goes.

PersistentVolumeSpec ; A storage volume of the cluster; exactly one source is set.
  capacity: {}quantity ; The volume's capacity, e.g. storage.
  gcePersistentDisk: GCEPersistentDiskVolumeSource ; Deprecated: a GCE persistent disk.
  awsElasticBlockStore: AWSElasticBlockStoreVolumeSource ; Deprecated: an AWS EBS volume.
  hostPath: HostPathVolumeSource ; A path on one node; for tests and single-node clusters.
  glusterfs: GlusterfsPersistentVolumeSource ; Deprecated: a GlusterFS volume.
  nfs: NFSVolumeSource ; An NFS export.
  rbd: RBDPersistentVolumeSource ; Deprecated: a Ceph RBD image.
  iscsi: ISCSIPersistentVolumeSource ; An iSCSI disk.
  cinder: CinderPersistentVolumeSource ; Deprecated: an OpenStack Cinder volume.
  cephfs: CephFSPersistentVolumeSource ; Deprecated: a CephFS filesystem.
  fc: FCVolumeSource ; A Fibre Channel disk.
  flocker: FlockerVolumeSource ; Deprecated: a Flocker dataset.
  flexVolume: FlexPersistentVolumeSource ; Deprecated: a volume mounted by a FlexVolume driver.
  azureFile: AzureFilePersistentVolumeSource ; Deprecated: an Azure File share.
  vsphereVolume: VsphereVirtualDiskVolumeSource ; Deprecated: a vSphere virtual disk.
  quobyte: QuobyteVolumeSource ; Deprecated: a Quobyte volume.
  azureDisk: AzureDiskVolumeSource ; Deprecated: an Azure data disk.
  photonPersistentDisk: PhotonPersistentDiskVolumeSource ; Deprecated: a Photon Controller disk.
  portworxVolume: PortworxVolumeSource ; Deprecated: a Portworx volume.
  scaleIO: ScaleIOPersistentVolumeSource ; Deprecated: a ScaleIO volume.
  local: LocalVolumeSource ; A local disk, partition or directory; needs nodeAffinity.
  storageos: StorageOSPersistentVolumeSource ; Deprecated: a StorageOS volume.
  csi: CSIPersistentVolumeSource ; A volume provided by a CSI driver.
  accessModes: []string enum=ReadWriteOnce|ReadOnlyMany|ReadWriteMany|ReadWriteOncePod list=atomic ; How the volume can be mounted.
  claimRef: ObjectReference ; The claim bound to the volume, or reserved for it.
  persistentVolumeReclaimPolicy: string enum=Recycle|Delete|Retain default="Retain" ; What happens to the volume when its claim is deleted.
  storageClassName: string ; The StorageClass the volume belongs to; empty for none.
  mountOptions: []string list=atomic ; Mount options used when the volume is mounted.
  volumeMode: string enum=Block|Filesystem default="Filesystem" ; Whether the volume is a filesystem or a raw block device.
  nodeAffinity: VolumeNodeAffinity ; The nodes the volume can be reached from.
  volumeAttributesClassName: string ; The VolumeAttributesClass the volume has.

VolumeNodeAffinity ; The nodes a volume can be reached from.
  required: NodeSelector ; Nodes that must match.

PersistentVolumeStatus ; The observed state of a persistent volume.
  phase: string enum=Pending|Available|Bound|Released|Failed ; Where the volume is in its lifecycle.
  message: string ; Why the volume is in this phase, for people.
  reason: string ; Why the volume is in this phase, in CamelCase.
  lastPhaseTransitionTime: time ; When the phase last changed.
)schema";

}  // namespace skiff::api::schema_text
