// Protobuf request bodies: kubectl-captured and hand-built envelopes decoded to upstream's JSON.
#include "skiff/api/protobuf.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using skiff::api::decode_protobuf;
using skiff::api::is_protobuf_envelope;
using skiff::base::Reason;
namespace json = boost::json;

namespace {

// Builds protobuf bytes field by field, so hand-made bodies read like the messages they are.
class Pb {
public:
    Pb& varint(std::uint32_t field, std::uint64_t v) {
        key(field, 0);
        put(v);
        return *this;
    }
    Pb& str(std::uint32_t field, std::string_view s) {
        key(field, 2);
        put(s.size());
        bytes_ += s;
        return *this;
    }
    Pb& msg(std::uint32_t field, const Pb& m) { return str(field, m.bytes_); }
    // One map entry {1 key, 2 value} with a string value.
    Pb& entry(std::uint32_t field, std::string_view k, std::string_view v) {
        return msg(field, Pb().str(1, k).str(2, v));
    }
    Pb& fixed(std::uint32_t field, int width) {
        key(field, width == 8 ? 1 : 5);
        bytes_.append(static_cast<std::size_t>(width), '\x01');
        return *this;
    }
    // A tag with any wire type, for groups and malformed input.
    Pb& key(std::uint32_t field, std::uint32_t wire) {
        put(static_cast<std::uint64_t>(field) << 3 | wire);
        return *this;
    }
    Pb& raw(std::string_view bytes) {
        bytes_ += bytes;
        return *this;
    }
    const std::string& bytes() const { return bytes_; }

private:
    void put(std::uint64_t v) {
        for (; v >= 0x80; v >>= 7) {
            bytes_ += static_cast<char>(v | 0x80);
        }
        bytes_ += static_cast<char>(v);
    }

    std::string bytes_;
};

// "k8s\0" + runtime.Unknown{typeMeta, raw, contentEncoding, contentType}, as client-go writes it.
std::string envelope(std::string_view api_version, std::string_view kind, const Pb& raw) {
    return std::string("k8s\0", 4) + Pb().msg(1, Pb().str(1, api_version).str(2, kind))
                                         .msg(2, raw)
                                         .str(3, "")
                                         .str(4, "")
                                         .bytes();
}

Pb meta(std::string_view name) {
    return Pb().str(1, name);
}

std::string unhex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    return out;
}

// Decodes and compares with `want`, member order included (it is Go's struct order).
void check_decodes(const std::string& body, std::string_view want) {
    auto got = decode_protobuf(body);
    INFO(skiff::base::to_string(got.status()));
    REQUIRE(got.ok());
    CHECK(json::serialize(*got) == json::serialize(json::parse(want)));
}

skiff::base::Status decode_error(const std::string& body) {
    auto got = decode_protobuf(body);
    return got.status();
}

struct Captured {
    const char* command;
    const char* hex;   // the request body kubectl 1.32.4 sent
    const char* want;  // kubectl's `--dry-run=client -o json` of the same object, without
                       // `"creationTimestamp":null`; where kubectl has no dry run, checked by hand
};

// Also in testdata/protobuf/*.bin, for tests that drive the server with real bodies.
const Captured kCaptured[] = {
    {"kubectl create namespace foo",
     "6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a00320038004200"
     "12001a020a001a002200",
     R"j({"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo"},"spec":{},)j"
     R"j("status":{}})j"},
    {"kubectl create configmap cm1 --from-literal=a=b --from-literal=key2=value2",
     "6b3873000a0f0a0276311209436f6e6669674d6170122d0a130a03636d3112001a0022002a00320038004200"
     "12060a0161120162120e0a046b657932120676616c7565321a002200",
     R"j({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm1"},"data":{"a":"b",)j"
     R"j("key2":"value2"}})j"},
    {"kubectl create secret generic s1 --from-literal=user=admin --from-file=bin=<43 random"
     " bytes>",
     "6b3873000a0c0a027631120653656372657412590a120a02733112001a0022002a0032003800420012320a03"
     "62696e122b5b3335a59e20659cb9ffe369e5b6f19fd13484ccbafacf46151b086d8128d218f3c88b043302be"
     "a100ff01120d0a0475736572120561646d696e1a001a002200",
     R"j({"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1"},"data":{"bin":"WzM1pZ4gZZy5/)j"
     R"j(+Np5bbxn9E0hMy6+s9GFRsIbYEo0hjzyIsEMwK+oQD/AQ==","user":"YWRtaW4="}})j"},
    {"kubectl create secret docker-registry reg --docker-server=r.io --docker-username=u"
     " --docker-password=p",
     "6b3873000a0c0a0276311206536563726574128c010a130a0372656712001a0022002a003200380042001255"
     "0a112e646f636b6572636f6e6669676a736f6e12407b226175746873223a7b22722e696f223a7b2275736572"
     "6e616d65223a2275222c2270617373776f7264223a2270222c2261757468223a2264547077227d7d7d1a1e6b"
     "756265726e657465732e696f2f646f636b6572636f6e6669676a736f6e1a002200",
     R"j({"kind":"Secret","apiVersion":"v1","metadata":{"name":"reg"},"data":{".dockerconfigjson")j"
     R"j(:"eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ)j"
     R"j(=="},"type":"kubernetes.io/dockerconfigjson"})j"},
    {"kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80",
     "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bd010a1f0a0377656212001a0022002a"
     "003200380042005a0a0a036170701203776562128b010802120c0a0a0a0361707012037765621a710a1c0a00"
     "12001a0022002a003200380042005a0a0a036170701203776562125112330a056e67696e78120a6e67696e78"
     "3a312e32372a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a"
     "0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a"
     "002200",
     R"j({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web",)j"
     R"j("labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},)j"
     R"j("template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx",)j"
     R"j("image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{}}]}},)j"
     R"j("strategy":{}},"status":{}})j"},
    {"kubectl create job j1 --image=busybox -- echo hi",
     "6b3873000a0f0a0862617463682f763112034a6f621284010a120a026a3112001a0022002a00320038004200"
     "126432620a100a0012001a0022002a00320038004200124e122b0a026a31120762757379626f781a04656368"
     "6f1a0268692a0042006a007200800100880100900100a201001a054e65766572320042004a00520058006000"
     "68008201008a01009a0100c201001a082000280030003a001a002200",
     R"j({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j1"},"spec":{"template":{"meta)j"
     R"j(data":{},"spec":{"containers":[{"name":"j1","image":"busybox","command":["echo",)j"
     R"j("hi"],"resources":{}}],"restartPolicy":"Never"}}},"status":{}})j"},
    {"kubectl create cronjob cj --image=busybox --schedule='*/5 * * * *' -- date",
     "6b3873000a130a0862617463682f7631120743726f6e4a6f6212a4010a120a02636a12001a0022002a003200"
     "38004200128b010a0b2a2f35202a202a202a202a1a002a7a0a120a02636a12001a0022002a00320038004200"
     "126432620a100a0012001a0022002a00320038004200124e12270a02636a120762757379626f781a04646174"
     "652a0042006a007200800100880100900100a201001a094f6e4661696c757265320042004a00520058006000"
     "68008201008a01009a0100c201001a001a002200",
     R"j({"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"cj"},"spec":{"schedule":"*)j"
     R"j(/5 * * * *","jobTemplate":{"metadata":{"name":"cj"},"spec":{"template":{"metadata":{},)j"
     R"j("spec":{"containers":[{"name":"cj","image":"busybox","command":["date"],)j"
     R"j("resources":{}}],"restartPolicy":"OnFailure"}}}}},"status":{}})j"},
    {"kubectl create job manual --from=cronjob/cj (a CronJob with every JobSpec field)",
     "6b3873000a0f0a0862617463682f763112034a6f6212fb020a760a066d616e75616c12001a0022002a003200"
     "380042005a070a026a74120131622b0a2163726f6e6a6f622e6b756265726e657465732e696f2f696e737461"
     "6e746961746512066d616e75616c62070a026a611201326a1f0a0743726f6e4a6f621a02636a2204752d636a"
     "2a0862617463682f7631300112f6010802100418901c32690a190a0012001a0022002a003200380042005a07"
     "0a027074120133124c12290a046d61696e120762757379626f781a04646174652a0042006a00720080010088"
     "0100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c20100380640"
     "644a07496e646578656450015a3d0a170a074661696c4a6f62120c0a046d61696e1202496e182a0a220a0649"
     "676e6f72651a180a1044697372757074696f6e5461726765741204547275656001680272064661696c65647a"
     "1c6b756265726e657465732e696f2f6a6f622d636f6e74726f6c6c65728201090a070a03302d3210011a0820"
     "00280030003a001a002200",
     R"j({"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"manual","labels":{"jt":"1"},)j"
     R"j("annotations":{"cronjob.kubernetes.io/instantiate":"manual","ja":"2"},)j"
     R"j("ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob","name":"cj",)j"
     R"j("uid":"u-cj","controller":true}]},"spec":{"parallelism":2,"completions":4,)j"
     R"j("activeDeadlineSeconds":3600,"podFailurePolicy":{"rules":[{"action":"FailJob",)j"
     R"j("onExitCodes":{"containerName":"main","operator":"In","values":[42]}},)j"
     R"j({"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]},)j"
     R"j("successPolicy":{"rules":[{"succeededIndexes":"0-2","succeededCount":1}]},)j"
     R"j("backoffLimit":6,"backoffLimitPerIndex":1,"maxFailedIndexes":2,"template":{"metadata":{")j"
     R"j(labels":{"pt":"3"}},"spec":{"containers":[{"name":"main","image":"busybox",)j"
     R"j("command":["date"],"resources":{}}],"restartPolicy":"Never"}},"ttlSecondsAfterFinished":)j"
     R"j(100,"completionMode":"Indexed","suspend":true,"podReplacementPolicy":"Failed",)j"
     R"j("managedBy":"kubernetes.io/job-controller"},"status":{}})j"},
    {"kubectl create service clusterip svc1 --tcp=80:8080 --tcp=443:https",
     "6b3873000a0d0a0276311207536572766963651290010a210a047376633112001a0022002a00320038004200"
     "5a0b0a0361707012047376633112670a1b0a0738302d38303830120354435018502207080010903f1a002800"
     "0a220a093434332d6874747073120354435018bb03220b080110001a0568747470732800120b0a0361707012"
     "04737663311a002209436c757374657249503a00420052005a00600068001a020a001a002200",
     R"j({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc1","labels":{"app":"svc1"}},)j"
     R"j("spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080},)j"
     R"j({"name":"443-https","protocol":"TCP","port":443,"targetPort":"https"}],)j"
     R"j("selector":{"app":"svc1"},"type":"ClusterIP"},"status":{"loadBalancer":{}}})j"},
    {"kubectl create service nodeport np --tcp=80:8080 --node-port=30080",
     "6b3873000a0d0a02763112075365727669636512670a1d0a026e7012001a0022002a003200380042005a090a"
     "0361707012026e7012420a1d0a0738302d38303830120354435018502207080010903f1a002880eb0112090a"
     "0361707012026e701a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200",
     R"j({"kind":"Service","apiVersion":"v1","metadata":{"name":"np","labels":{"app":"np"}},)j"
     R"j("spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,)j"
     R"j("nodePort":30080}],"selector":{"app":"np"},"type":"NodePort"},"status":{"loadBalancer":{)j"
     R"j(}}})j"},
    {"kubectl create service externalname ext --external-name=example.com",
     "6b3873000a0d0a027631120753657276696365125a0a1f0a0365787412001a0022002a003200380042005a0a"
     "0a0361707012036578741233120a0a0361707012036578741a00220c45787465726e616c4e616d653a004200"
     "520b6578616d706c652e636f6d5a00600068001a020a001a002200",
     R"j({"kind":"Service","apiVersion":"v1","metadata":{"name":"ext","labels":{"app":"ext"}},)j"
     R"j("spec":{"selector":{"app":"ext"},"type":"ExternalName","externalName":"example.com"},)j"
     R"j("status":{"loadBalancer":{}}})j"},
    {"kubectl create serviceaccount sa1",
     "6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022002a0032"
     "00380042001a002200",
     R"j({"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa1"}})j"},
    {"kubectl create role r1 --verb=get,list --resource=pods,deployments.apps"
     " --resource-name=a",
     "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f6c65124f"
     "0a120a02723112001a0022002a0032003800420012160a036765740a046c69737412001a04706f6473220161"
     "12210a036765740a046c6973741204617070731a0b6465706c6f796d656e74732201611a002200",
     R"j({"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"r1"},)j"
     R"j("rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"],)j"
     R"j("resourceNames":["a"]},{"verbs":["get","list"],"apiGroups":["apps"],)j"
     R"j("resources":["deployments"],"resourceNames":["a"]}]})j"},
    {"kubectl create rolebinding rb1 --role=r1 --user=alice --serviceaccount=default:sa1"
     " --group=g",
     "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c654269"
     "6e64696e6712b3010a130a0372623112001a0022002a00320038004200122a0a04557365721219726261632e"
     "617574686f72697a6174696f6e2e6b38732e696f1a05616c696365220012270a0547726f7570121972626163"
     "2e617574686f72697a6174696f6e2e6b38732e696f1a0167220012200a0e536572766963654163636f756e74"
     "12001a03736131220764656661756c741a250a19726261632e617574686f72697a6174696f6e2e6b38732e69"
     "6f1204526f6c651a0272311a002200",
     R"j({"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"rb)j"
     R"j(1"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io",)j"
     R"j("name":"alice"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io",)j"
     R"j("name":"g"},{"kind":"ServiceAccount","name":"sa1","namespace":"default"}],)j"
     R"j("roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r1"}})j"},
    {"kubectl create clusterrole cr1 --verb=get --resource=pods --non-resource-url=/logs/*",
     "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c75737465"
     "72526f6c6512340a130a0363723112001a0022002a00320038004200120d0a0367657412001a04706f647312"
     "0e0a036765742a072f6c6f67732f2a1a002200",
     R"j({"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"cr)j"
     R"j(1"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]},)j"
     R"j({"verbs":["get"],"nonResourceURLs":["/logs/*"]}]})j"},
    {"kubectl create clusterrole agg --aggregation-rule=foo=bar",
     "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c75737465"
     "72526f6c6512250a130a0361676712001a0022002a003200380042001a0e0a0c0a0a0a03666f6f1203626172"
     "1a002200",
     R"j({"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"ag)j"
     R"j(g"},"rules":null,"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"foo":"bar"})j"
     R"j(}]}})j"},
    {"kubectl create clusterrolebinding crb1 --clusterrole=cr1 --user=bob",
     "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c75737465"
     "72526f6c6542696e64696e67126f0a140a046372623112001a0022002a0032003800420012280a0455736572"
     "1219726261632e617574686f72697a6174696f6e2e6b38732e696f1a03626f6222001a2d0a19726261632e61"
     "7574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a036372311a002200",
     R"j({"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",)j"
     R"j("metadata":{"name":"crb1"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s)j"
     R"j(.io","name":"bob"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io",)j"
     R"j("kind":"ClusterRole","name":"cr1"}})j"},
    {"kubectl create quota q1 --hard=cpu=1,memory=1Gi,pods=10 --scopes=BestEffort",
     "6b3873000a130a027631120d5265736f7572636551756f7461124f0a120a02713112001a0022002a00320038"
     "00420012370a0a0a0363707512030a01310a0f0a066d656d6f727912050a033147690a0c0a04706f64731204"
     "0a023130120a426573744566666f72741a001a002200",
     R"j({"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q1"},"spec":{"hard":{"cpu")j"
     R"j(:"1","memory":"1Gi","pods":"10"},"scopes":["BestEffort"]},"status":{}})j"},
    {"kubectl create pdb pdb1 --selector=app=web --min-available=1",
     "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123a0a140a04"
     "7064623112001a0022002a0032003800420012160a06080010011a00120c0a0a0a0361707012037765621a0a"
     "080018002000280030001a002200",
     R"j({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb1"},)j"
     R"j("spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}},"status":{"disruption)j"
     R"j(sAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}})j"},
    {"kubectl create pdb pdb2 --selector=app=web --max-unavailable=50%",
     "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123d0a140a04"
     "7064623212001a0022002a003200380042001219120c0a0a0a0361707012037765621a09080110001a033530"
     "251a0a080018002000280030001a002200",
     R"j({"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb2"},)j"
     R"j("spec":{"selector":{"matchLabels":{"app":"web"}},"maxUnavailable":"50%"},)j"
     R"j("status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,)j"
     R"j("expectedPods":0}})j"},
    {"kubectl create priorityclass pc1 --value=1000 --description=hi --preemption-policy=Never",
     "6b3873000a250a147363686564756c696e672e6b38732e696f2f7631120d5072696f72697479436c61737312"
     "250a130a0370633112001a0022002a0032003800420010e8071800220268692a054e657665721a002200",
     R"j({"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name":"pc1"},)j"
     R"j("value":1000,"description":"hi","preemptionPolicy":"Never"})j"},
    {"kubectl create ingress ing1 --rule=foo.com/bar*=svc1:8080,tls=my-cert --class=nginx"
     " --annotation=a=b --default-backend=def:http",
     "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e67726573731282010a1c0a04"
     "696e673112001a0022002a0032003800420062060a0161120162125e0a11220f0a0364656612080a04687474"
     "70100012120a07666f6f2e636f6d12076d792d636572741a2e0a07666f6f2e636f6d12230a210a1f0a042f62"
     "6172120f220d0a047376633112050a0010903f1a0650726566697822056e67696e781a020a001a002200",
     R"j({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"ing1",)j"
     R"j("annotations":{"a":"b"}},"spec":{"ingressClassName":"nginx","defaultBackend":{"service":)j"
     R"j({"name":"def","port":{"name":"http"}}},"tls":[{"hosts":["foo.com"],"secretName":"my-cert)j"
     R"j("}],"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","pathType":"Prefix",)j"
     R"j("backend":{"service":{"name":"svc1","port":{"number":8080}}}}]}}]},"status":{"loadBalanc)j"
     R"j(er":{}}})j"},
    {"kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80",
     "6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f736361"
     "6c6572123f0a130a0377656212001a0022002a0032003800420012220a1a0a0a4465706c6f796d656e741203"
     "7765621a07617070732f76311002180520501a04180020001a002200",
     R"j({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"web")j"
     R"j(},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},)j"
     R"j("minReplicas":2,"maxReplicas":5,"targetCPUUtilizationPercentage":80},)j"
     R"j("status":{"currentReplicas":0,"desiredReplicas":0}})j"},
    {"kubectl create token sa1 --audience=api --duration=1h",
     "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565"
     "737412220a100a0012001a0022002a0032003800420012080a0361706920901c1a040a0012001a002200",
     R"j({"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{},)j"
     R"j("spec":{"audiences":["api"],"expirationSeconds":3600},"status":{"token":"",)j"
     R"j("expirationTimestamp":null}})j"},
    {"kubectl create token sa1 --bound-object-kind=Pod --bound-object-name=p1"
     " --bound-object-uid=123",
     "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565"
     "7374122e0a100a0012001a0022002a0032003800420012141a120a03506f64120276311a0270312203313233"
     "1a040a0012001a002200",
     R"j({"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{},)j"
     R"j("spec":{"audiences":null,"boundObjectRef":{"kind":"Pod","apiVersion":"v1",)j"
     R"j("name":"p1","uid":"123"}},"status":{"token":"","expirationTimestamp":null}})j"},
    {"kubectl auth can-i create pods --subresource=log -n ns1",
     "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374"
     "416363657373526576696577123e0a100a0012001a0022002a0032003800420012200a1e0a036e7331120663"
     "72656174651a0022002a04706f647332036c6f673a001a08080012001a0020001a002200",
     R"j({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",)j"
     R"j("metadata":{},"spec":{"resourceAttributes":{"namespace":"ns1","verb":"create",)j"
     R"j("resource":"pods","subresource":"log"}},"status":{"allowed":false}})j"},
    {"kubectl auth can-i get /logs",
     "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374"
     "416363657373526576696577122c0a100a0012001a0022002a00320038004200120e120c0a052f6c6f677312"
     "036765741a08080012001a0020001a002200",
     R"j({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",)j"
     R"j("metadata":{},"spec":{"nonResourceAttributes":{"path":"/logs","verb":"get"}},)j"
     R"j("status":{"allowed":false}})j"},
    {"kubectl auth can-i --list -n ns1",
     "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a656374"
     "52756c6573526576696577121f0a100a0012001a0022002a0032003800420012050a036e73311a0418002200"
     "1a002200",
     R"j({"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1",)j"
     R"j("metadata":{},"spec":{"namespace":"ns1"},"status":{"resourceRules":null,)j"
     R"j("nonResourceRules":null,"incomplete":false}})j"},
    {"kubectl auth whoami",
     "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a6563"
     "74526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200",
     R"j({"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1",)j"
     R"j("metadata":{},"status":{"userInfo":{}}})j"},
    {"kubectl drain n1 --disable-eviction --grace-period=5 (DeleteOptions)",
     "6b3873000a130a027631120d44656c6574654f7074696f6e73120208051a002200",
     R"j({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5})j"},
    {"kubectl certificate approve csr1 (PUT .../approval)",
     "6b3873000a330a166365727469666963617465732e6b38732e696f2f76311219436572746966696361746553"
     "69676e696e675265717565737412d2020a220a046373723112001a0022002a05752d63737232013938004208"
     "08a5facdac0610001298010a0a2d2d2d2d2d424547494e1205616c6963651a027531221473797374656d3a61"
     "757468656e7469636174656422036465762a0b636c69656e7420617574682a116469676974616c207369676e"
     "617475726532090a05656d707479120032100a0673636f70657312060a01610a01623a236b756265726e6574"
     "65732e696f2f6b7562652d6170697365727665722d636c69656e744080a3051a90010a290a0750656e64696e"
     "671201521a016d220808a5facdac0610002a0808a6facdac0610003204547275650a630a08417070726f7665"
     "64120e4b75626563746c417070726f76651a3554686973204353522077617320617070726f76656420627920"
     "6b75626563746c20636572746966696361746520617070726f76652e220808de8e9cd80610002a0032045472"
     "75651a002200",
     R"j({"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",)j"
     R"j("metadata":{"name":"csr1","uid":"u-csr","resourceVersion":"9","creationTimestamp":"2024-)j"
     R"j(01-02T03:04:05Z"},"spec":{"request":"LS0tLS1CRUdJTg==","signerName":"kubernetes.io/kube-)j"
     R"j(apiserver-client","expirationSeconds":86400,"usages":["client auth",)j"
     R"j("digital signature"],"username":"alice","uid":"u1","groups":["system:authenticated",)j"
     R"j("dev"],"extra":{"empty":null,"scopes":["a","b"]}},"status":{"conditions":[{"type":"Pendi)j"
     R"j(ng","status":"True","reason":"R","message":"m","lastUpdateTime":"2024-01-02T03:04:05Z",)j"
     R"j("lastTransitionTime":"2024-01-02T03:04:06Z"},{"type":"Approved","status":"True",)j"
     R"j("reason":"KubectlApprove","message":"This CSR was approved by kubectl certificate approv)j"
     R"j(e.","lastUpdateTime":"2026-11-25T16:05:50Z"}]}})j"},
    {"kubectl debug rich --copy-to=rich-copy --keep-*... (a Pod with most PodSpec fields)",
     "6b3873000a090a0276311203506f6412ef110a440a09726963682d636f707912001a0764656661756c742200"
     "2a003200380042005a0b0a036170701204726963685a0a0a04746965721202626562090a046e6f7465120178"
     "1294110a1d0a07762d656d707479121212100a064d656d6f727912060a0436344d690a210a06762d686f7374"
     "12170a150a082f7661722f6c6f6712094469726563746f72790a220a08762d736563726574121632140a0273"
     "3112090a016b12017018800218a40320010a1f0a04762d636d12179a01140a050a03636d3112060a01611201"
     "6218ff0320000a130a05762d707663120a52080a046461746110010a220a05762d6e667312193a170a096e66"
     "732e6c6f63616c12082f6578706f72747318010a520a06762d6461706912488201450a1f0a066c6162656c73"
     "12150a027631120f6d657461646174612e6c6162656c730a1f0a036370751a180a046d61696e120a6c696d69"
     "74732e6370751a040a02316d10a4020a680a06762d70726f6a125ed2015b0a1322110a057661756c7410901c"
     "1a05746f6b656e0a111a0f0a050a03636d3212060a01781201790a0a0a080a040a02733220010a2212200a1e"
     "0a026e7312180a02763112126d657461646174612e6e616d65737061636510a4030a3f0a05762d6373691236"
     "e201330a0f6373692e6578616d706c652e636f6d10011a046578743422060a016112013122060a0162120132"
     "2a080a0663736973656312b6060a046d61696e120a6e67696e783a312e32371a056e67696e7822022d67220b"
     "6461656d6f6e206f66663b2a042f73727632110a04687474701000185022035443502a0032170a0010e92918"
     "3522035544502a093132372e302e302e313a060a01411201313a090a05454d50545912003a1e0a03504f4412"
     "001a150a130a027631120d6d657461646174612e6e616d653a270a034d454d12001a1e121c0a046d61696e12"
     "0d6c696d6974732e6d656d6f72791a050a03314d693a170a03434d4b12001a0e1a0c0a050a03636d31120161"
     "18003a130a02534b12001a0b22090a040a02733112016b42650a0d0a0363707512060a043530306d0a110a06"
     "6d656d6f727912070a053132384d690a150a0e6e76696469612e636f6d2f67707512030a0131120d0a036370"
     "7512060a043235306d12100a066d656d6f727912060a0436344d691a090a03677075120272314a170a07762d"
     "656d70747910001a062f6361636865220032004a360a08762d73656372657410011a062f6574632f73220170"
     "2a0f486f7374546f436f6e7461696e657232003a0a4966506f737369626c654a180a04762d636d10001a042f"
     "636667220032062428504f442952350a2712250a082f6865616c74687a1207080010903f1a001a0168220548"
     "545450532a060a015812017910031802200a2801300338055a1c0a101a0e0a0a080110001a04687474701200"
     "1000180020052800300062100a080a060a046563686f1204220208056a142f6465762f7465726d696e617469"
     "6f6e2d6c6f67720c49664e6f7450726573656e747a6d0a100a094e45545f41444d494e1203414c4c10001a0d"
     "0a01751201721a01742202733020e80728013001380040b8174a0744656661756c74520c0a0167120267731a"
     "017720005a130a094c6f63616c686f73741206702e6a736f6e62100a0e52756e74696d6544656661756c7480"
     "01018801019001019a01100a03434d5f12090a050a03636d3110019a010a0a001a060a040a027331a2011546"
     "616c6c6261636b546f4c6f67734f6e4572726f72aa01100a03626c6b12092f6465762f78766461b201180a0c"
     "0a0a0a036361740a032f6f6b1000180020002800301eba01120a03637075120b4e6f74526571756972656412"
     "720a04736964651206616c70696e652a00420052190a0d220b08824712066865616c74681000180020002800"
     "30005a110a0522030883471000180020002800300062200a0c1a0a0a06080010511a0012001210120e0a0012"
     "06080010501a001a0022006a007200800100880100900100a201001a06416c77617973201e28d804320c436c"
     "757374657246697273743a0b0a046469736b12037373643a090a047a6f6e6512016142037361314a03736131"
     "52005801600168017282010a0d0a0012001a00220573303a633110e807180120a01f20882728d00f30d00f3a"
     "180a136e65742e697076342e69705f666f72776172641201314a0e4f6e526f6f744d69736d6174636852100a"
     "0e52756e74696d6544656661756c745a110a094c6f63616c686f7374120470726f6662065374726963746a09"
     "5265637572736976657a090a077265676372656482010268318a01037375629201a9010a420a2d0a2b0a0d0a"
     "016b1202496e1a01611a0162121a0a0d6d657461646174612e6e616d6512054e6f74496e1a026e321211080a"
     "120d0a0b0a017a120645786973747312420a400a0b0a090a03617070120264621201781a166b756265726e65"
     "7465732e696f2f686f73746e616d6522002a11706f642d74656d706c6174652d6861736832016d1a1f121d08"
     "3212190a11120f0a036170701202496e1a04726963681a047a6f6e659a011164656661756c742d7363686564"
     "756c6572a2013a0a04696e6974120762757379626f781a0273681a022d631a04747275652a0042006a007200"
     "800100880100900100a20100c20106416c77617973a80100b2011a0a016b1205457175616c1a017622094e6f"
     "45786563757465283cb2010e0a0012064578697374731a002200ba01100a0831302e302e302e311201611201"
     "62c2010468696768c801e807d201270a07312e312e312e311207732e6c6f63616c1a0a0a056e646f74731201"
     "321a070a0565646e7330d80101e2011b0a197777772e6578616d706c652e636f6d2f666561747572652d31ea"
     "0106677669736f72f00100fa01054e6576657282020c0a0363707512050a0331306d8a024a080112047a6f6e"
     "651a0d446f4e6f745363686564756c65220d0a0b0a0361707012047269636828023205486f6e6f723a064967"
     "6e6f72654211706f642d74656d706c6174652d68617368980201a202070a056c696e7578a80200b202060a04"
     "67617465ba020a0a036770751a03726331ba02080a0174220374706cc2020c0a0a0a0363707512030a01321a"
     "100a001a0022002a0032004a005a0072001a002200",
     R"j({"kind":"Pod","apiVersion":"v1","metadata":{"name":"rich-copy","namespace":"default",)j"
     R"j("labels":{"app":"rich","tier":"be"},"annotations":{"note":"x"}},"spec":{"volumes":[{"nam)j"
     R"j(e":"v-empty","emptyDir":{"medium":"Memory","sizeLimit":"64Mi"}},{"name":"v-host",)j"
     R"j("hostPath":{"path":"/var/log","type":"Directory"}},{"name":"v-secret",)j"
     R"j("secret":{"secretName":"s1","items":[{"key":"k","path":"p","mode":256}],)j"
     R"j("defaultMode":420,"optional":true}},{"name":"v-cm","configMap":{"name":"cm1",)j"
     R"j("items":[{"key":"a","path":"b"}],"defaultMode":511,"optional":false}},)j"
     R"j({"name":"v-pvc","persistentVolumeClaim":{"claimName":"data","readOnly":true}},)j"
     R"j({"name":"v-nfs","nfs":{"server":"nfs.local","path":"/exports","readOnly":true}},)j"
     R"j({"name":"v-dapi","downwardAPI":{"items":[{"path":"labels","fieldRef":{"apiVersion":"v1",)j"
     R"j("fieldPath":"metadata.labels"}},{"path":"cpu","resourceFieldRef":{"containerName":"main")j"
     R"j(,"resource":"limits.cpu","divisor":"1m"}}],"defaultMode":292}},{"name":"v-proj",)j"
     R"j("projected":{"sources":[{"serviceAccountToken":{"audience":"vault","expirationSeconds":3)j"
     R"j(600,"path":"token"}},{"configMap":{"name":"cm2","items":[{"key":"x",)j"
     R"j("path":"y"}]}},{"secret":{"name":"s2","optional":true}},{"downwardAPI":{"items":[{"path")j"
     R"j(:"ns","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],)j"
     R"j("defaultMode":420}},{"name":"v-csi","csi":{"driver":"csi.example.com",)j"
     R"j("readOnly":true,"fsType":"ext4","volumeAttributes":{"a":"1","b":"2"},)j"
     R"j("nodePublishSecretRef":{"name":"csisec"}}}],"initContainers":[{"name":"init",)j"
     R"j("image":"busybox","command":["sh","-c","true"],"resources":{},"restartPolicy":"Always"}])j"
     R"j(,"containers":[{"name":"main","image":"nginx:1.27","command":["nginx"],)j"
     R"j("args":["-g","daemon off;"],"workingDir":"/srv","ports":[{"name":"http",)j"
     R"j("containerPort":80,"protocol":"TCP"},{"hostPort":5353,"containerPort":53,)j"
     R"j("protocol":"UDP","hostIP":"127.0.0.1"}],"envFrom":[{"prefix":"CM_","configMapRef":{"name)j"
     R"j(":"cm1","optional":true}},{"secretRef":{"name":"s1"}}],"env":[{"name":"A",)j"
     R"j("value":"1"},{"name":"EMPTY"},{"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1",)j"
     R"j("fieldPath":"metadata.name"}}},{"name":"MEM","valueFrom":{"resourceFieldRef":{"container)j"
     R"j(Name":"main","resource":"limits.memory","divisor":"1Mi"}}},{"name":"CMK",)j"
     R"j("valueFrom":{"configMapKeyRef":{"name":"cm1","key":"a","optional":false}}},)j"
     R"j({"name":"SK","valueFrom":{"secretKeyRef":{"name":"s1","key":"k"}}}],)j"
     R"j("resources":{"limits":{"cpu":"500m","memory":"128Mi","nvidia.com/gpu":"1"},)j"
     R"j("requests":{"cpu":"250m","memory":"64Mi"},"claims":[{"name":"gpu","request":"r1"}]},)j"
     R"j("resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}],)j"
     R"j("volumeMounts":[{"name":"v-empty","mountPath":"/cache"},{"name":"v-secret",)j"
     R"j("readOnly":true,"recursiveReadOnly":"IfPossible","mountPath":"/etc/s",)j"
     R"j("subPath":"p","mountPropagation":"HostToContainer"},{"name":"v-cm","mountPath":"/cfg",)j"
     R"j("subPathExpr":"$(POD)"}],"volumeDevices":[{"name":"blk","devicePath":"/dev/xvda"}],)j"
     R"j("livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"host":"h",)j"
     R"j("scheme":"HTTPS","httpHeaders":[{"name":"X","value":"y"}]},"initialDelaySeconds":3,)j"
     R"j("timeoutSeconds":2,"periodSeconds":10,"successThreshold":1,"failureThreshold":3,)j"
     R"j("terminationGracePeriodSeconds":5},"readinessProbe":{"tcpSocket":{"port":"http"},)j"
     R"j("periodSeconds":5},"startupProbe":{"exec":{"command":["cat","/ok"]},)j"
     R"j("failureThreshold":30},"lifecycle":{"postStart":{"exec":{"command":["echo"]}},)j"
     R"j("preStop":{"sleep":{"seconds":5}}},"terminationMessagePath":"/dev/termination-log",)j"
     R"j("terminationMessagePolicy":"FallbackToLogsOnError","imagePullPolicy":"IfNotPresent",)j"
     R"j("securityContext":{"capabilities":{"add":["NET_ADMIN"],"drop":["ALL"]},)j"
     R"j("privileged":false,"seLinuxOptions":{"user":"u","role":"r","type":"t",)j"
     R"j("level":"s0"},"windowsOptions":{"gmsaCredentialSpecName":"g","gmsaCredentialSpec":"gs",)j"
     R"j("runAsUserName":"w","hostProcess":false},"runAsUser":1000,"runAsGroup":3000,)j"
     R"j("runAsNonRoot":true,"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,)j"
     R"j("procMount":"Default","seccompProfile":{"type":"Localhost","localhostProfile":"p.json"},)j"
     R"j("appArmorProfile":{"type":"RuntimeDefault"}},"stdin":true,"stdinOnce":true,)j"
     R"j("tty":true},{"name":"side","image":"alpine","resources":{},"livenessProbe":{"grpc":{"por)j"
     R"j(t":9090,"service":"health"}},"readinessProbe":{"grpc":{"port":9091,"service":null}},)j"
     R"j("lifecycle":{"postStart":{"tcpSocket":{"port":81}},"preStop":{"httpGet":{"port":80}}}}],)j"
     R"j("restartPolicy":"Always","terminationGracePeriodSeconds":30,"activeDeadlineSeconds":600,)j"
     R"j("dnsPolicy":"ClusterFirst","nodeSelector":{"disk":"ssd","zone":"a"},)j"
     R"j("serviceAccountName":"sa1","serviceAccount":"sa1","automountServiceAccountToken":false,)j"
     R"j("hostNetwork":true,"hostPID":true,"hostIPC":true,"shareProcessNamespace":true,)j"
     R"j("securityContext":{"seLinuxOptions":{"level":"s0:c1"},"runAsUser":1000,)j"
     R"j("runAsGroup":2000,"runAsNonRoot":true,"supplementalGroups":[4000,5000],)j"
     R"j("supplementalGroupsPolicy":"Strict","fsGroup":2000,"sysctls":[{"name":"net.ipv4.ip_forwa)j"
     R"j(rd","value":"1"}],"fsGroupChangePolicy":"OnRootMismatch","seccompProfile":{"type":"Runti)j"
     R"j(meDefault"},"appArmorProfile":{"type":"Localhost","localhostProfile":"prof"},)j"
     R"j("seLinuxChangePolicy":"Recursive"},"imagePullSecrets":[{"name":"regcred"}],)j"
     R"j("hostname":"h1","subdomain":"sub","affinity":{"nodeAffinity":{"requiredDuringSchedulingI)j"
     R"j(gnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k",)j"
     R"j("operator":"In","values":["a","b"]}],"matchFields":[{"key":"metadata.name",)j"
     R"j("operator":"NotIn","values":["n2"]}]}]},"preferredDuringSchedulingIgnoredDuringExecution)j"
     R"j(":[{"weight":10,"preference":{"matchExpressions":[{"key":"z","operator":"Exists"}]}}]},)j"
     R"j("podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matc)j"
     R"j(hLabels":{"app":"db"}},"namespaces":["x"],"topologyKey":"kubernetes.io/hostname",)j"
     R"j("namespaceSelector":{},"matchLabelKeys":["pod-template-hash"],"mismatchLabelKeys":["m"]})j"
     R"j(]},"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":50,)j"
     R"j("podAffinityTerm":{"labelSelector":{"matchExpressions":[{"key":"app",)j"
     R"j("operator":"In","values":["rich"]}]},"topologyKey":"zone"}}]}},"schedulerName":"default-)j"
     R"j(scheduler","tolerations":[{"key":"k","operator":"Equal","value":"v",)j"
     R"j("effect":"NoExecute","tolerationSeconds":60},{"operator":"Exists"}],)j"
     R"j("hostAliases":[{"ip":"10.0.0.1","hostnames":["a","b"]}],"priorityClassName":"high",)j"
     R"j("priority":1000,"dnsConfig":{"nameservers":["1.1.1.1"],"searches":["s.local"],)j"
     R"j("options":[{"name":"ndots","value":"2"},{"name":"edns0"}]},"readinessGates":[{"condition)j"
     R"j(Type":"www.example.com/feature-1"}],"runtimeClassName":"gvisor","enableServiceLinks":fal)j"
     R"j(se,"preemptionPolicy":"Never","overhead":{"cpu":"10m"},"topologySpreadConstraints":[{"ma)j"
     R"j(xSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matc)j"
     R"j(hLabels":{"app":"rich"}},"minDomains":2,"nodeAffinityPolicy":"Honor",)j"
     R"j("nodeTaintsPolicy":"Ignore","matchLabelKeys":["pod-template-hash"]}],)j"
     R"j("setHostnameAsFQDN":true,"os":{"name":"linux"},"hostUsers":false,"schedulingGates":[{"na)j"
     R"j(me":"gate"}],"resourceClaims":[{"name":"gpu","resourceClaimName":"rc1"},)j"
     R"j({"name":"t","resourceClaimTemplateName":"tpl"}],"resources":{"limits":{"cpu":"2"}}},)j"
     R"j("status":{}})j"},
};

const std::string kNamespaceFoo = unhex(kCaptured[0].hex);

}  // namespace

TEST_CASE("is_protobuf_envelope looks for the k8s magic", "[protobuf]") {
    CHECK(is_protobuf_envelope(std::string_view("k8s\0\x0a", 5)));
    CHECK(is_protobuf_envelope(std::string_view("k8s\0", 4)));
    CHECK_FALSE(is_protobuf_envelope("k8s"));
    CHECK_FALSE(is_protobuf_envelope(R"({"kind":"Pod"})"));
    CHECK_FALSE(is_protobuf_envelope(std::string_view("k8s\1", 4)));
}

TEST_CASE("kubectl create namespace sends these 54 bytes", "[protobuf]") {
    // ObjectMeta carries its Go value fields even when empty (generation 0, an empty
    // creationTimestamp), then spec{} and status{phase:""}.
    Pb object_meta = Pb().str(1, "foo").str(2, "").str(3, "").str(4, "").str(5, "").str(6, "");
    object_meta.varint(7, 0).str(8, "");
    Pb ns = Pb().msg(1, object_meta).str(2, "").msg(3, Pb().str(1, ""));
    std::string body = envelope("v1", "Namespace", ns);
    REQUIRE(body.size() == 54);
    CHECK(body == kNamespaceFoo);
    // encoding/json never leaves out a struct, so spec and status stay as {}; phase has
    // omitempty; creationTimestamp would be null and is left out (see protobuf.h).
    check_decodes(body, R"({"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo"},)"
                        R"("spec":{},"status":{}})");
}

TEST_CASE("bodies captured from kubectl decode to kubectl's own JSON", "[protobuf]") {
    for (const auto& c : kCaptured) {
        INFO(c.command);
        check_decodes(unhex(c.hex), c.want);
    }
}

TEST_CASE("secret data is base64, keys sorted, strings made valid UTF-8", "[protobuf]") {
    Pb secret = Pb().msg(1, meta("s"));
    secret.msg(2, Pb().str(1, "z").str(2, std::string("\x00\xff\x10", 3)));
    secret.msg(2, Pb().str(1, "a").str(2, "hi"));
    secret.msg(2, Pb().str(1, "empty"));  // no value: the zero value, ""
    secret.entry(4, "text", "caf\xc3\xa9 \xff!");
    secret.str(3, "Opaque").varint(5, 0);
    check_decodes(envelope("v1", "Secret", secret),
                  R"({"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},)"
                  R"("immutable":false,"data":{"a":"aGk=","empty":"","z":"AP8Q"},)"
                  "\"stringData\":{\"text\":\"caf\xc3\xa9 \xef\xbf\xbd!\"},\"type\":\"Opaque\"}");
}

TEST_CASE("a deployment with a container, ports, env and resources", "[protobuf]") {
    Pb container = Pb().str(1, "web").str(2, "nginx").str(3, "nginx").str(4, "-g").str(4, "x");
    container.msg(6, Pb().str(1, "http").varint(3, 80).str(4, "TCP"));
    container.msg(7, Pb().str(1, "MODE").str(2, "prod"));
    container.msg(
        7, Pb().str(1, "POD").msg(3, Pb().msg(1, Pb().str(1, "v1").str(2, "metadata.name"))));
    Pb resources;
    resources.msg(1, Pb().str(1, "memory").msg(2, Pb().str(1, "128Mi")));
    resources.msg(1, Pb().str(1, "cpu").msg(2, Pb().str(1, "1000m")));  // canonical: "1"
    resources.msg(2, Pb().str(1, "cpu").msg(2, Pb().str(1, "0.25")));   // canonical: "250m"
    container.msg(8, resources);
    container.msg(9, Pb().str(1, "data").str(3, "/data").varint(2, 1));
    container.str(13, "/dev/termination-log").str(20, "File").str(14, "IfNotPresent");
    container.msg(15, Pb().varint(5, 1).msg(1, Pb().str(2, "ALL")));
    container.varint(16, 0).varint(17, 0).varint(18, 0);

    Pb pod_spec = Pb().msg(2, container).str(3, "Always").varint(4, 30).str(6, "ClusterFirst");
    pod_spec.str(19, "default-scheduler").msg(14, Pb());
    pod_spec.msg(1, Pb().str(1, "data").msg(2, Pb().msg(2, Pb().str(1, ""))));
    Pb labels = Pb().entry(11, "app", "web");

    Pb strategy = Pb().str(1, "RollingUpdate");
    strategy.msg(2, Pb().msg(1, Pb().varint(1, 0).varint(2, 0))     // maxUnavailable: 0
                        .msg(2, Pb().varint(1, 1).str(3, "25%")));  // maxSurge: "25%"
    Pb spec = Pb().varint(1, 0);  // replicas 0 is a set pointer: kept
    spec.msg(2, Pb().entry(1, "app", "web"));
    spec.msg(3, Pb().msg(1, labels).msg(2, pod_spec));
    spec.msg(4, strategy).varint(5, 0).varint(6, 10).varint(7, 0).varint(9, 600);
    Pb deployment = Pb().msg(1, meta("web").str(3, "prod").varint(7, 0)).msg(2, spec);
    deployment.msg(3, Pb().varint(1, 0).varint(2, 0));

    check_decodes(
        envelope("apps/v1", "Deployment", deployment),
        R"({"kind":"Deployment","apiVersion":"apps/v1",)"
        R"("metadata":{"name":"web","namespace":"prod"},)"
        R"("spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},)"
        R"("template":{"metadata":{"labels":{"app":"web"}},"spec":{)"
        R"("volumes":[{"name":"data","emptyDir":{}}],)"
        R"("containers":[{"name":"web","image":"nginx","command":["nginx"],"args":["-g","x"],)"
        R"("ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],)"
        R"("env":[{"name":"MODE","value":"prod"},)"
        R"({"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1",)"
        R"("fieldPath":"metadata.name"}}}],)"
        R"("resources":{"limits":{"cpu":"1","memory":"128Mi"},"requests":{"cpu":"250m"}},)"
        R"("volumeMounts":[{"name":"data","readOnly":true,"mountPath":"/data"}],)"
        R"("terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",)"
        R"("imagePullPolicy":"IfNotPresent",)"
        R"("securityContext":{"capabilities":{"drop":["ALL"]},"runAsNonRoot":true}}],)"
        R"("restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",)"
        R"("securityContext":{},"schedulerName":"default-scheduler"}},)"
        R"("strategy":{"type":"RollingUpdate",)"
        R"("rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}},)"
        R"("revisionHistoryLimit":10,"progressDeadlineSeconds":600},"status":{}})");
}

TEST_CASE("IntOrString is a number or a string", "[protobuf]") {
    Pb spec;
    spec.msg(1, Pb().str(2, "TCP").varint(3, 80).msg(4, Pb().varint(1, 0).varint(2, 8080)));
    spec.msg(1, Pb().str(2, "TCP").varint(3, 443).msg(4, Pb().varint(1, 1).str(3, "https")));
    // A port without targetPort: a Go value IntOrString, written as 0 despite omitempty.
    spec.msg(1, Pb().str(2, "UDP").varint(3, 53));
    Pb service = Pb().msg(1, meta("svc")).msg(2, spec);
    check_decodes(envelope("v1", "Service", service),
                  R"({"kind":"Service","apiVersion":"v1","metadata":{"name":"svc"},"spec":{)"
                  R"("ports":[{"protocol":"TCP","port":80,"targetPort":8080},)"
                  R"({"protocol":"TCP","port":443,"targetPort":"https"},)"
                  R"({"protocol":"UDP","port":53,"targetPort":0}]},)"
                  R"("status":{"loadBalancer":{}}})");

    Pb bad = Pb().msg(1, meta("svc"))
                 .msg(2, Pb().msg(1, Pb().varint(3, 80).msg(4, Pb().varint(1, 2).varint(2, 1))));
    auto status = decode_error(envelope("v1", "Service", bad));
    CHECK(status.reason() == Reason::BadRequest);
    CHECK(status.message() ==
          "invalid protobuf body: spec.ports[0].targetPort: IntOrString "
          "type 2 is neither 0 (int) nor 1 (string)");
}

TEST_CASE("nil lists and pointers without omitempty are null, as Go writes them", "[protobuf]") {
    check_decodes(envelope("rbac.authorization.k8s.io/v1", "Role", Pb().msg(1, meta("r"))),
                  R"({"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1",)"
                  R"("metadata":{"name":"r"},"rules":null})");
    check_decodes(envelope("authentication.k8s.io/v1", "TokenRequest", Pb()),
                  R"({"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1",)"
                  R"("metadata":{},"spec":{"audiences":null},)"
                  R"("status":{"token":"","expirationTimestamp":null}})");
    Pb path = Pb().str(1, "/").msg(2, Pb().msg(4, Pb().str(1, "svc")));
    Pb ingress = Pb().msg(2, Pb().msg(3, Pb().msg(2, Pb().msg(1, Pb().msg(1, path)))));
    check_decodes(envelope("networking.k8s.io/v1", "Ingress", ingress),
                  R"({"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{},)"
                  R"("spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":null,)"
                  R"("backend":{"service":{"name":"svc","port":{}}}}]}}]},)"
                  R"("status":{"loadBalancer":{}}})");
}

TEST_CASE("times are RFC 3339 in UTC; zero times are left out", "[protobuf]") {
    Pb m = meta("t");
    m.msg(8, Pb().varint(1, 1704164645).varint(2, 999));  // Time drops the nanoseconds
    m.msg(9, Pb().varint(1, static_cast<std::uint64_t>(-1)).varint(2, 0));
    m.varint(10, 30);
    check_decodes(envelope("v1", "ConfigMap", Pb().msg(1, m)),
                  R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"t",)"
                  R"("creationTimestamp":"2024-01-02T03:04:05Z",)"
                  R"("deletionTimestamp":"1969-12-31T23:59:59Z",)"
                  R"("deletionGracePeriodSeconds":30}})");

    // MicroTime keeps microseconds; time.Unix normalizes nanos outside [0, 1e9).
    Pb spec = Pb().str(1, "node-a").varint(2, 40);
    spec.msg(3, Pb().varint(1, 1704164645).varint(2, 123456789));
    spec.msg(4, Pb().varint(1, 1704164645).varint(2, static_cast<std::uint64_t>(-1000)));
    spec.varint(5, 0);
    check_decodes(envelope("coordination.k8s.io/v1", "Lease", Pb().msg(1, meta("l")).msg(2, spec)),
                  R"({"kind":"Lease","apiVersion":"coordination.k8s.io/v1",)"
                  R"("metadata":{"name":"l"},"spec":{"holderIdentity":"node-a",)"
                  R"("leaseDurationSeconds":40,"acquireTime":"2024-01-02T03:04:05.123456Z",)"
                  R"("renewTime":"2024-01-02T03:04:04.999999Z","leaseTransitions":0}})");

    Pb event = Pb().msg(1, meta("e")).msg(2, Pb().str(1, "Pod").str(3, "p"));
    event.str(3, "Started").msg(5, Pb()).msg(6, Pb()).msg(10, Pb()).str(14, "kubelet");
    check_decodes(envelope("v1", "Event", event),
                  R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},)"
                  R"("involvedObject":{"kind":"Pod","name":"p"},"reason":"Started",)"
                  R"("source":{},"reportingComponent":"kubelet","reportingInstance":""})");

    Pb far = meta("t").msg(8, Pb().varint(1, 253402300800));  // 10000-01-01
    auto status = decode_error(envelope("v1", "ConfigMap", Pb().msg(1, far)));
    CHECK(status.reason() == Reason::BadRequest);
    CHECK(status.message() ==
          "invalid protobuf body: metadata.creationTimestamp: time out of range");
}

TEST_CASE("unknown fields are skipped, messages merge, scalars take the last value", "[protobuf]") {
    Pb m = meta("first");
    m.varint(99, 7).fixed(100, 8).fixed(101, 4).str(102, "future");
    m.key(103, 3).varint(1, 5).key(2, 3).str(3, "x").key(2, 4).key(103, 4);  // nested groups
    Pb cm = Pb().msg(1, m).msg(1, Pb().str(3, "ns").str(1, "second")).entry(2, "k", "v");
    Pb unknown_envelope_field = Pb().str(15, "ignored");
    std::string body = envelope("v1", "ConfigMap", cm) + unknown_envelope_field.bytes();
    check_decodes(body, R"({"kind":"ConfigMap","apiVersion":"v1",)"
                        R"("metadata":{"name":"second","namespace":"ns"},"data":{"k":"v"}})");
}

TEST_CASE("numbers: negative int32, packed lists, int64", "[protobuf]") {
    Pb security = Pb().varint(2, 0).varint(5, 1000);
    // supplementalGroups, packed: 1000, 2000
    security.str(4, Pb().raw("\xe8\x07\xd0\x0f").bytes());
    security.varint(4, 3000);
    Pb spec = Pb().msg(2, Pb().str(1, "c")).varint(25, static_cast<std::uint64_t>(-5));
    spec.msg(14, security).varint(5, 9007199254740993ULL);
    check_decodes(envelope("v1", "Pod", Pb().msg(1, meta("p")).msg(2, spec)),
                  R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},"spec":{)"
                  R"("containers":[{"name":"c","resources":{}}],)"
                  R"("activeDeadlineSeconds":9007199254740993,)"
                  R"("securityContext":{"runAsUser":0,"supplementalGroups":[1000,2000,3000],)"
                  R"("fsGroup":1000},"priority":-5},"status":{}})");
}

TEST_CASE("managedFields carry fieldsV1 as JSON", "[protobuf]") {
    Pb entry = Pb().str(1, "kubectl").str(2, "Update").str(3, "v1");
    entry.msg(4, Pb().varint(1, 1704164645)).str(6, "FieldsV1");
    entry.msg(7, Pb().str(1, R"({"f:data":{"f:k":{}}})"));
    check_decodes(envelope("v1", "ConfigMap", Pb().msg(1, meta("c").msg(17, entry))),
                  R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c",)"
                  R"("managedFields":[{"manager":"kubectl","operation":"Update",)"
                  R"("apiVersion":"v1","time":"2024-01-02T03:04:05Z","fieldsType":"FieldsV1",)"
                  R"("fieldsV1":{"f:data":{"f:k":{}}}}]}})");

    Pb bad = meta("c").msg(17, Pb().msg(7, Pb().str(1, "{nope")));
    auto status = decode_error(envelope("v1", "ConfigMap", Pb().msg(1, bad)));
    CHECK(status.reason() == Reason::BadRequest);
    CHECK_THAT(status.message(), Catch::StartsWith("invalid protobuf body: "
                                                   "metadata.managedFields[0].fieldsV1: "
                                                   "embedded JSON: "));
}

TEST_CASE("delete options and evictions", "[protobuf]") {
    // Any group version may carry DeleteOptions: clients send their own.
    Pb options = Pb().varint(1, 0).msg(2, Pb().str(1, "uid-1").str(2, "42"));
    options.str(4, "Foreground").str(5, "All");
    check_decodes(envelope("apps/v1", "DeleteOptions", options),
                  R"({"kind":"DeleteOptions","apiVersion":"apps/v1","gracePeriodSeconds":0,)"
                  R"("preconditions":{"uid":"uid-1","resourceVersion":"42"},)"
                  R"("propagationPolicy":"Foreground","dryRun":["All"]})");
    Pb eviction = Pb().msg(1, meta("p").str(3, "default")).msg(2, Pb().str(5, "All"));
    check_decodes(envelope("policy/v1", "Eviction", eviction),
                  R"({"kind":"Eviction","apiVersion":"policy/v1",)"
                  R"("metadata":{"name":"p","namespace":"default"},)"
                  R"("deleteOptions":{"dryRun":["All"]}})");
}

TEST_CASE("unsupported kinds and encodings are 415", "[protobuf]") {
    auto status = decode_error(envelope("apps/v1", "StatefulSet", Pb().msg(1, meta("s"))));
    CHECK(status.reason() == Reason::UnsupportedMediaType);
    CHECK(status.code() == 415);
    CHECK(status.message() ==
          "protobuf bodies of apps/v1, Kind=StatefulSet are not supported; "
          "send it as application/json instead");

    std::string gzipped =
        std::string("k8s\0", 4) +
        Pb().msg(1, Pb().str(1, "v1").str(2, "Namespace")).msg(2, Pb()).str(3, "gzip").bytes();
    status = decode_error(gzipped);
    CHECK(status.reason() == Reason::UnsupportedMediaType);
    CHECK_THAT(status.message(), Catch::Contains("content encoding \"gzip\""));
}

TEST_CASE("malformed bodies are 400 naming what is wrong", "[protobuf]") {
    struct Case {
        const char* name;
        std::string body;
        const char* message;
    };
    const std::string magic("k8s\0", 4);
    const Case cases[] = {
        {"no magic", R"({"kind":"Namespace"})",
         "invalid protobuf body: missing the \"k8s\\x00\" prefix"},
        {"no kind", magic + Pb().msg(1, Pb().str(1, "v1")).bytes(),
         "invalid protobuf body: the envelope names no kind"},
        {"truncated envelope", kNamespaceFoo.substr(0, 20),
         "invalid protobuf body: envelope: field 1: length exceeds the remaining bytes"},
        {"truncated raw", kNamespaceFoo.substr(0, 30),
         "invalid protobuf body: envelope: field 2: length exceeds the remaining bytes"},
        {"wire type of a known field", envelope("v1", "Namespace", Pb().msg(1, Pb().varint(1, 5))),
         "invalid protobuf body: metadata.name: wire type 0, want 2"},
        {"length past the end of a nested message",
         envelope("v1", "Namespace",
                  Pb().msg(1, Pb().key(1, 2).raw("\x09"
                                                 "abc"))),
         "invalid protobuf body: metadata.name: length exceeds the remaining bytes"},
        {"varint of 11 bytes",
         envelope("v1", "Namespace",
                  Pb().msg(1, Pb().key(7, 0).raw(std::string(10, '\xff')).raw("\x01"))),
         "invalid protobuf body: metadata.generation: varint longer than 10 bytes"},
        {"truncated varint", envelope("v1", "Namespace", Pb().msg(1, Pb().key(7, 0).raw("\x80"))),
         "invalid protobuf body: metadata.generation: truncated varint"},
        {"field number 0", envelope("v1", "Namespace", Pb().msg(1, Pb().raw("\x02\x00"))),
         "invalid protobuf body: metadata: invalid field number"},
        {"end group without start", envelope("v1", "Namespace", Pb().key(9, 4)),
         "invalid protobuf body: field 9: unexpected end-group tag"},
        {"unterminated group", envelope("v1", "Namespace", Pb().key(9, 3).varint(1, 1)),
         "invalid protobuf body: field 9: unterminated group"},
        {"wire type 7", envelope("v1", "Namespace", Pb().key(9, 7)),
         "invalid protobuf body: field 9: invalid wire type"},
        {"bad quantity",
         envelope("v1", "ResourceQuota",
                  Pb().msg(2, Pb().msg(1, Pb().str(1, "cpu").msg(2, Pb().str(1, "lots"))))),
         "invalid protobuf body: spec.hard[cpu]: quantity \"lots\": quantities must match the "
         "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto status = decode_error(c.body);
        CHECK(status.reason() == Reason::BadRequest);
        CHECK(status.message() == c.message);
    }
}

TEST_CASE("every prefix and byte flip of a pod body decodes or fails cleanly", "[protobuf]") {
    std::string pod;
    for (const auto& c : kCaptured) {
        if (std::string_view(c.command).starts_with("kubectl debug")) {
            pod = unhex(c.hex);
        }
    }
    REQUIRE(pod.size() > 2000);
    for (std::size_t n = 0; n < pod.size(); ++n) {
        auto got = decode_protobuf(pod.substr(0, n));
        if (!got.ok()) {
            CHECK(got.status().reason() == Reason::BadRequest);
        }
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string body = pod;
        body[4 + rng() % (body.size() - 4)] = static_cast<char>(rng());
        auto got = decode_protobuf(body);
        if (!got.ok()) {
            auto reason = got.status().reason();
            CHECK((reason == Reason::BadRequest || reason == Reason::UnsupportedMediaType));
        }
    }
}
