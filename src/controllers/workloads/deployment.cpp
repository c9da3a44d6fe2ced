// The Deployment controller's pure core (upstream pkg/controller/deployment: syncDeployment,
// sync.go, rolling.go, recreate.go, progress.go and util/deployment_util.go).
//
// One reconcile mirrors one upstream sync. Upstream mutates its copy of the Deployment's status
// and of each ReplicaSet as it goes and writes them at several points; here the same mutations
// land on working copies (`Work`), and what differs from the observed objects at the end becomes
// the Actions. Early returns (a rollout takes one step per sync) are kept.
#include "skiff/controllers/deployment.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <unordered_map>

#include <boost/json.hpp>

#include "skiff/api/label_selector.h"

namespace skiff::controllers::deployment {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();
// Upstream's maxRevHistoryLengthInChars for the revision-history annotation.
constexpr std::size_t kMaxRevisionHistoryChars = 2000;

// ---- JSON access -----------------------------------------------------------------------------

const json::object* obj(const json::object* o, std::string_view key) {
    if (!o) {
        return nullptr;
    }
    const auto* v = o->if_contains(key);
    return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::object* obj(const json::object& o, std::string_view key) {
    return obj(&o, key);
}

std::string_view str(const json::object* o, std::string_view key) {
    if (!o) {
        return {};
    }
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::optional<std::int64_t> opt_int(const json::object* o, std::string_view key) {
    if (!o) {
        return std::nullopt;
    }
    const auto* v = o->if_contains(key);
    if (v && v->is_int64()) {
        return v->as_int64();
    }
    if (v && v->is_uint64()) {
        return static_cast<std::int64_t>(v->as_uint64());
    }
    return std::nullopt;
}

std::int64_t int_or(const json::object* o, std::string_view key, std::int64_t fallback) {
    return opt_int(o, key).value_or(fallback);
}

json::object& child(json::object& o, std::string_view key) {
    auto& v = o[key];
    if (!v.is_object()) {
        v.emplace_object();
    }
    return v.as_object();
}

// strconv.ParseInt of a whole string.
std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty()) {
        return std::nullopt;
    }
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

// Counters are omitempty in the Go types: absent when zero.
void set_count(json::object& status, std::string_view key, std::int64_t value) {
    if (value == 0) {
        status.erase(key);
    } else {
        status[key] = value;
    }
}

// ---- canonical JSON for hashing and template comparison --------------------------------------

// Drops null members, empty objects and empty arrays: what a Go round trip cannot tell apart.
json::value normalized(const json::value& v) {
    if (v.is_object()) {
        json::object out;
        for (const auto& [k, m] : v.as_object()) {
            auto n = normalized(m);
            if (n.is_null() || (n.is_object() && n.as_object().empty()) ||
                (n.is_array() && n.as_array().empty())) {
                continue;
            }
            out[k] = std::move(n);
        }
        return out;
    }
    if (v.is_array()) {
        json::array out;
        for (const auto& e : v.as_array()) {
            out.push_back(normalized(e));
        }
        return out;
    }
    return v;
}

void write_canonical(const json::value& v, std::string& out) {
    if (v.is_object()) {
        std::vector<std::pair<std::string_view, const json::value*>> members;
        for (const auto& [k, m] : v.as_object()) {
            members.emplace_back(k, &m);
        }
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto& [k, m] : members) {
            if (!first) {
                out += ',';
            }
            first = false;
            out += json::serialize(json::value(k));
            out += ':';
            write_canonical(*m, out);
        }
        out += '}';
    } else if (v.is_array()) {
        out += '[';
        bool first = true;
        for (const auto& e : v.as_array()) {
            if (!first) {
                out += ',';
            }
            first = false;
            write_canonical(e, out);
        }
        out += ']';
    } else {
        out += json::serialize(v);
    }
}

std::string canonical(const json::value& v) {
    std::string out;
    write_canonical(normalized(v), out);
    return out;
}

json::value without_hash_label(const json::value& tmpl) {
    json::value copy = tmpl;
    if (auto* meta = copy.is_object() ? copy.as_object().if_contains("metadata") : nullptr;
        meta && meta->is_object()) {
        if (auto* labels = meta->as_object().if_contains("labels"); labels && labels->is_object()) {
            labels->as_object().erase(kPodTemplateHashLabel);
        }
    }
    return copy;
}

// ---- conditions --------------------------------------------------------------------------------

const json::object* find_condition(const json::object* status, std::string_view type) {
    if (!status) {
        return nullptr;
    }
    const auto* conds = status->if_contains("conditions");
    if (!conds || !conds->is_array()) {
        return nullptr;
    }
    for (const auto& c : conds->as_array()) {
        if (c.is_object() && str(&c.as_object(), "type") == type) {
            return &c.as_object();
        }
    }
    return nullptr;
}

void remove_condition(json::object& status, std::string_view type) {
    auto* conds = status.if_contains("conditions");
    if (!conds || !conds->is_array()) {
        return;
    }
    auto& arr = conds->as_array();
    for (auto it = arr.begin(); it != arr.end();) {
        if (it->is_object() && str(&it->as_object(), "type") == type) {
            it = arr.erase(it);
        } else {
            ++it;
        }
    }
    if (arr.empty()) {
        status.erase("conditions");
    }
}

json::object new_condition(std::string_view type, std::string_view status, std::string_view reason,
                           std::string message, TimePoint now) {
    auto t = format_time(now);
    return json::object{
        {"type", type},        {"status", status},
        {"lastUpdateTime", t}, {"lastTransitionTime", t},
        {"reason", reason},    {"message", std::move(message)},
    };
}

// SetDeploymentCondition: no change for the same status and reason; the same status keeps its
// lastTransitionTime; the condition moves to the end.
void set_condition(json::object& status, json::object cond) {
    auto type = std::string(str(&cond, "type"));
    if (const auto* cur = find_condition(&status, type)) {
        if (str(cur, "status") == str(&cond, "status") &&
            str(cur, "reason") == str(&cond, "reason")) {
            return;
        }
        if (str(cur, "status") == str(&cond, "status")) {
            if (const auto* ltt = cur->if_contains("lastTransitionTime")) {
                cond["lastTransitionTime"] = *ltt;
            } else {
                cond.erase("lastTransitionTime");
            }
        }
    }
    remove_condition(status, type);
    auto& conds = status["conditions"];
    if (!conds.is_array()) {
        conds.emplace_array();
    }
    conds.as_array().push_back(std::move(cond));
}

std::string quoted(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// ---- ReplicaSets -------------------------------------------------------------------------------

// A ReplicaSet the Deployment owns, as this sync sees and changes it.
struct Rs {
    json::object obj;
    bool dirty = false;    // to PUT
    bool created = false;  // to POST (this sync made it)
    std::optional<TimePoint> created_at;

    const json::object* meta() const { return controllers::deployment::obj(obj, "metadata"); }
    const json::object* spec() const { return controllers::deployment::obj(obj, "spec"); }
    const json::object* status() const { return controllers::deployment::obj(obj, "status"); }
    std::string_view name() const { return str(meta(), "name"); }
    std::string_view uid() const { return str(meta(), "uid"); }
    std::int64_t replicas() const { return int_or(spec(), "replicas", 1); }
    std::int64_t status_replicas() const { return int_or(status(), "replicas", 0); }
    std::int64_t ready() const { return int_or(status(), "readyReplicas", 0); }
    std::int64_t available() const { return int_or(status(), "availableReplicas", 0); }
    bool deleting() const {
        const auto* m = meta();
        const auto* v = m ? m->if_contains("deletionTimestamp") : nullptr;
        return v && !v->is_null();
    }
    std::string_view annotation(std::string_view key) const {
        return str(controllers::deployment::obj(meta(), "annotations"), key);
    }
    bool has_annotation(std::string_view key) const {
        const auto* a = controllers::deployment::obj(meta(), "annotations");
        return a && a->contains(key);
    }
    json::object& annotations() { return child(child(obj, "metadata"), "annotations"); }
    json::object& mutable_spec() { return child(obj, "spec"); }
    // Revision: 0 without the annotation, nullopt when it does not parse.
    std::optional<std::int64_t> revision() const {
        if (!has_annotation(kRevisionAnnotation)) {
            return 0;
        }
        return parse_int(annotation(kRevisionAnnotation));
    }
};

// ReplicaSetsByCreationTimestamp: older first, then by name.
bool older(const Rs* a, const Rs* b) {
    if (a->created_at != b->created_at) {
        return a->created_at < b->created_at;  // nullopt (zero time) first
    }
    return a->name() < b->name();
}

std::int64_t sum_replicas(const std::vector<Rs*>& sets) {
    std::int64_t n = 0;
    for (const auto* rs : sets) {
        n += rs->replicas();
    }
    return n;
}

std::vector<Rs*> active(const std::vector<Rs*>& sets) {
    std::vector<Rs*> out;
    for (auto* rs : sets) {
        if (rs && rs->replicas() > 0) {
            out.push_back(rs);
        }
    }
    return out;
}

// ---- the sync ----------------------------------------------------------------------------------

class Sync {
public:
    Sync(const json::object& d, std::span<const json::object> replicasets,
         std::span<const json::object> pods, TimePoint now)
        : d_(d), all_replicasets_(replicasets), pods_(pods), now_(now) {
        meta_ = obj(d, "metadata");
        spec_ = obj(d, "spec");
        if (const auto* s = obj(d, "status")) {
            status_ = *s;
        }
        name_ = str(meta_, "name");
        generation_ = int_or(meta_, "generation", 0);
        if (const auto* a = obj(meta_, "annotations"); a && a->contains(kRevisionAnnotation)) {
            revision_ = std::string(str(a, kRevisionAnnotation));
        }
        observed_revision_ = revision_;
        replicas_ = int_or(spec_, "replicas", 1);
        const auto* strategy = obj(spec_, "strategy");
        strategy_ = str(strategy, "type");
        if (strategy_.empty()) {
            strategy_ = "RollingUpdate";
        }
        if (strategy_ == "RollingUpdate") {
            resolve_fenceposts(obj(strategy, "rollingUpdate"));
        }
        min_ready_ = int_or(spec_, "minReadySeconds", 0);
        // apps/v1 defaults: 600s progress deadline, 10 revisions; MaxInt32 disables either.
        deadline_ = int_or(spec_, "progressDeadlineSeconds", 600);
        history_limit_ = int_or(spec_, "revisionHistoryLimit", 10);
        const auto* paused = spec_ ? spec_->if_contains("paused") : nullptr;
        paused_ = paused && paused->is_bool() && paused->as_bool();
    }

    Actions run() {
        const auto* sel_json = spec_ ? spec_->if_contains("selector") : nullptr;
        auto selector = api::LabelSelector::from_json(sel_json);
        if (!selector.ok()) {
            return std::move(out_);  // upstream errors out until the spec is fixed
        }
        if (selector->empty()) {
            // "This deployment is selecting all pods": only record the generation.
            if (int_or(&status_, "observedGeneration", 0) < generation_) {
                status_["observedGeneration"] = generation_;
            }
            return finish();
        }
        claim_replicasets(*selector);
        map_pods(*selector);

        find_replicasets();
        if (owner_.deleting) {
            sync_status();
            return finish();
        }
        check_paused_conditions();
        if (paused_ || is_scaling_event()) {
            scale();
            if (paused_) {
                cleanup();
            }
            sync_status();
            return finish();
        }
        if (strategy_ == "Recreate") {
            rollout_recreate();
        } else if (strategy_ == "RollingUpdate") {
            rollout_rolling();
        }
        return finish();
    }

private:
    bool has_deadline() const { return deadline_ != kMaxInt32; }
    bool rolling() const { return strategy_ == "RollingUpdate"; }
    std::int64_t max_surge() const { return rolling() ? surge_ : 0; }
    // MaxUnavailable: 0 unless rolling with replicas, never more than replicas.
    std::int64_t max_unavailable() const {
        if (!rolling() || replicas_ == 0) {
            return 0;
        }
        return std::min(unavailable_, replicas_);
    }

    // ResolveFenceposts: surge rounds up, unavailability down; both 0 makes unavailability 1.
    void resolve_fenceposts(const json::object* ru) {
        static const json::value kDefault = "25%";
        const auto* s = ru ? ru->if_contains("maxSurge") : nullptr;
        const auto* u = ru ? ru->if_contains("maxUnavailable") : nullptr;
        surge_ = scaled_value(s && !s->is_null() ? s : &kDefault, replicas_, true);
        unavailable_ = scaled_value(u && !u->is_null() ? u : &kDefault, replicas_, false);
        if (surge_ == 0 && unavailable_ == 0) {
            unavailable_ = 1;
        }
    }

    // getReplicaSetsForDeployment: claim ReplicaSets by the Deployment's selector.
    void claim_replicasets(const api::LabelSelector& selector) {
        owner_ = owner_of(d_, "apps/v1", "Deployment");
        std::vector<const json::object*> candidates;
        for (const auto& rs : all_replicasets_) {
            candidates.push_back(&rs);
        }
        std::stable_sort(candidates.begin(), candidates.end(), [](const auto* a, const auto* b) {
            return str(obj(*a, "metadata"), "name") < str(obj(*b, "metadata"), "name");
        });
        for (const auto* rs : candidates) {
            switch (claim(owner_, selector, *rs)) {
                case Claim::Adopt:
                    out_.patches.push_back(adopt_patch(owner_, *rs));
                    [[fallthrough]];
                case Claim::Owned: {
                    Rs r;
                    r.obj = *rs;
                    r.created_at = parse_time(str(obj(*rs, "metadata"), "creationTimestamp"));
                    sets_.push_back(std::move(r));
                    break;
                }
                case Claim::Release:
                    out_.patches.push_back(release_patch(owner_, *rs));
                    break;
                case Claim::Ignore:
                    break;
            }
        }
    }

    // getPodMapForDeployment: selected pods grouped by the owned ReplicaSet controlling them.
    void map_pods(const api::LabelSelector& selector) {
        std::unordered_map<std::string, bool> owned;
        for (const auto& rs : sets_) {
            owned.emplace(std::string(rs.uid()), true);
        }
        for (const auto& pod : pods_) {
            const auto* meta = obj(pod, "metadata");
            if (!selector.matches(obj(meta, "labels"))) {
                continue;
            }
            auto uid = controller_uid_of(pod);
            if (!uid.empty() && owned.count(uid)) {
                pod_map_[uid].push_back(&pod);
            }
        }
    }

    // FindNewReplicaSet / FindOldReplicaSets, then getNewReplicaSet for an existing new one:
    // sync its annotations, revision and minReadySeconds, and the Deployment's revision.
    void find_replicasets() {
        std::vector<Rs*> by_age;
        for (auto& rs : sets_) {
            by_age.push_back(&rs);
        }
        std::stable_sort(by_age.begin(), by_age.end(), older);
        const auto* tmpl = spec_ ? spec_->if_contains("template") : nullptr;
        const json::value empty_template = json::object{};
        auto want = canonical(without_hash_label(tmpl ? *tmpl : empty_template));
        for (auto* rs : by_age) {
            const auto* t = rs->spec() ? rs->spec()->if_contains("template") : nullptr;
            if (!new_rs_ && canonical(without_hash_label(t ? *t : empty_template)) == want) {
                new_rs_ = rs;  // the oldest match, deterministically
            } else {
                old_rs_.push_back(rs);
            }
        }
        for (const auto* rs : old_rs_) {
            if (auto r = rs->revision(); r && *r > max_old_revision_) {
                max_old_revision_ = *r;
            }
        }
        if (!new_rs_) {
            return;
        }
        bool changed =
            set_new_rs_annotations(*new_rs_, std::to_string(max_old_revision_ + 1), true);
        if (int_or(new_rs_->spec(), "minReadySeconds", 0) != min_ready_) {
            set_count(new_rs_->mutable_spec(), "minReadySeconds", min_ready_);
            changed = true;
        }
        if (changed) {
            new_rs_->dirty = true;
        }
        // Upstream updates the ReplicaSet and returns, syncing the Deployment's revision on
        // the next pass; both happen here at once.
        revision_ = std::string(new_rs_->annotation(kRevisionAnnotation));
        if (has_deadline() && !find_condition(&status_, "Progressing")) {
            set_condition(status_,
                          new_condition("Progressing", "True", "FoundNewReplicaSet",
                                        "Found new replica set " + quoted(new_rs_->name()), now_));
        }
    }

    // SetNewReplicaSetAnnotations: copy the Deployment's annotations (but not the skipped
    // ones), raise the revision to new_revision (remembering the old one in revision-history),
    // and for a new ReplicaSet set desired/max replicas.
    bool set_new_rs_annotations(Rs& rs, const std::string& new_revision, bool exists) {
        static constexpr std::string_view kSkip[] = {
            "kubectl.kubernetes.io/last-applied-configuration",
            kRevisionAnnotation,
            kRevisionHistoryAnnotation,
            kDesiredReplicasAnnotation,
            kMaxReplicasAnnotation,
            "deprecated.deployment.rollback.to",
        };
        bool changed = false;
        auto& ann = rs.annotations();
        if (const auto* da = obj(meta_, "annotations")) {
            for (const auto& [k, v] : *da) {
                if (std::find(std::begin(kSkip), std::end(kSkip), std::string_view(k)) !=
                    std::end(kSkip)) {
                    continue;
                }
                if (const auto* cur = ann.if_contains(k); cur && *cur == v) {
                    continue;
                }
                ann[k] = v;
                changed = true;
            }
        }
        const bool had = ann.contains(kRevisionAnnotation);
        std::string old_revision(had ? str(&ann, kRevisionAnnotation) : "");
        auto old_int =
            old_revision.empty() ? std::optional<std::int64_t>(0) : parse_int(old_revision);
        auto new_int = parse_int(new_revision);
        if (old_int && new_int && *old_int < *new_int) {
            ann[kRevisionAnnotation] = new_revision;
            changed = true;
            if (had) {
                // Rolling back to this ReplicaSet: keep the revisions it served.
                std::string history(str(&ann, kRevisionHistoryAnnotation));
                if (history.empty()) {
                    ann[kRevisionHistoryAnnotation] = old_revision;
                } else {
                    std::vector<std::string> parts;
                    for (std::size_t start = 0;;) {
                        auto comma = history.find(',', start);
                        parts.push_back(history.substr(start, comma - start));
                        if (comma == std::string::npos) {
                            break;
                        }
                        start = comma + 1;
                    }
                    std::size_t total = history.size() + old_revision.size() + 1;
                    std::size_t first = 0;
                    while (total > kMaxRevisionHistoryChars && first < parts.size()) {
                        total -= parts[first].size() + 1;
                        ++first;
                    }
                    if (total <= kMaxRevisionHistoryChars) {
                        std::string joined;
                        for (std::size_t i = first; i < parts.size(); ++i) {
                            joined += parts[i] + ",";
                        }
                        ann[kRevisionHistoryAnnotation] = joined + old_revision;
                    }
                }
            }
        }
        if (!exists && set_replicas_annotations(rs)) {
            changed = true;
        }
        if (ann.empty()) {
            child(rs.obj, "metadata").erase("annotations");
        }
        return changed;
    }

    // SetReplicasAnnotations: desired-replicas and max-replicas (replicas + maxSurge).
    bool set_replicas_annotations(Rs& rs) {
        bool changed = false;
        auto& ann = rs.annotations();
        auto desired = std::to_string(replicas_);
        auto max = std::to_string(replicas_ + max_surge());
        if (str(&ann, kDesiredReplicasAnnotation) != desired ||
            !ann.contains(kDesiredReplicasAnnotation)) {
            ann[kDesiredReplicasAnnotation] = desired;
            changed = true;
        }
        if (str(&ann, kMaxReplicasAnnotation) != max || !ann.contains(kMaxReplicasAnnotation)) {
            ann[kMaxReplicasAnnotation] = max;
            changed = true;
        }
        return changed;
    }

    bool replicas_annotations_need_update(const Rs& rs) const {
        return rs.annotation(kDesiredReplicasAnnotation) != std::to_string(replicas_) ||
               !rs.has_annotation(kDesiredReplicasAnnotation) ||
               rs.annotation(kMaxReplicasAnnotation) != std::to_string(replicas_ + max_surge()) ||
               !rs.has_annotation(kMaxReplicasAnnotation);
    }

    // getNewReplicaSet with createIfNotExisted: the new ReplicaSet, or nullptr after a hash
    // collision (status.collisionCount is bumped; the next sync tries the next name).
    Rs* create_new_rs() {
        const auto* tmpl = spec_ ? spec_->if_contains("template") : nullptr;
        json::object tmpl_obj = tmpl && tmpl->is_object() ? tmpl->as_object() : json::object{};
        auto collision = opt_int(&status_, "collisionCount");
        auto hash = pod_template_hash(tmpl_obj, collision);
        auto rs_name = std::string(name_) + "-" + hash;

        for (const auto& other : all_replicasets_) {
            if (str(obj(other, "metadata"), "name") != rs_name) {
                continue;
            }
            const auto* t =
                obj(other, "spec") ? obj(other, "spec")->if_contains("template") : nullptr;
            if (controller_uid_of(other) == owner_.uid && t &&
                templates_equal_ignoring_hash(*t, tmpl_obj)) {
                return nullptr;  // ours already, just not claimed: wait for the cache to agree
            }
            status_["collisionCount"] = collision.value_or(0) + 1;
            return nullptr;
        }

        child(child(tmpl_obj, "metadata"), "labels")[kPodTemplateHashLabel] = hash;
        json::object selector;
        if (const auto* s = obj(spec_, "selector")) {
            selector = *s;
        }
        child(selector, "matchLabels")[kPodTemplateHashLabel] = hash;

        json::object meta{
            {"name", rs_name},
            {"namespace", owner_.namespace_},
            {"labels", tmpl_obj["metadata"].as_object()["labels"]},
            {"ownerReferences", json::array{make_controller_ref(owner_)}},
        };
        json::object spec{
            {"replicas", 0}, {"selector", std::move(selector)}, {"template", std::move(tmpl_obj)}};
        set_count(spec, "minReadySeconds", min_ready_);
        Rs rs;
        rs.obj = json::object{{"apiVersion", "apps/v1"},
                              {"kind", "ReplicaSet"},
                              {"metadata", std::move(meta)},
                              {"spec", std::move(spec)}};
        rs.created = true;
        rs.created_at = now_;
        sets_.push_back(std::move(rs));
        Rs* created = &sets_.back();

        std::vector<Rs*> all = old_rs_;
        all.push_back(created);
        created->mutable_spec()["replicas"] = new_rs_new_replicas(all, *created);
        auto revision = std::to_string(max_old_revision_ + 1);
        set_new_rs_annotations(*created, revision, false);
        new_rs_ = created;

        revision_ = revision;
        if (has_deadline()) {
            set_condition(status_,
                          new_condition("Progressing", "True", "NewReplicaSetCreated",
                                        "Created new replica set " + quoted(rs_name), now_));
        }
        return created;
    }

    // NewRSNewReplicas.
    std::int64_t new_rs_new_replicas(const std::vector<Rs*>& all, const Rs& new_rs) const {
        if (strategy_ == "Recreate") {
            return replicas_;
        }
        const auto* ru = obj(obj(spec_, "strategy"), "rollingUpdate");
        static const json::value kDefault = "25%";
        const auto* s = ru ? ru->if_contains("maxSurge") : nullptr;
        auto surge = scaled_value(s && !s->is_null() ? s : &kDefault, replicas_, true);
        auto current = sum_replicas(all);
        auto max_total = replicas_ + surge;
        if (current >= max_total) {
            return new_rs.replicas();
        }
        auto up = std::min(max_total - current, replicas_ - new_rs.replicas());
        return new_rs.replicas() + up;
    }

    // scaleReplicaSet: a new size, or stale desired/max annotations, make an update.
    bool scale_rs(Rs& rs, std::int64_t size) {
        bool size_changed = rs.replicas() != size;
        if (size_changed || replicas_annotations_need_update(rs)) {
            rs.mutable_spec()["replicas"] = size;
            set_replicas_annotations(rs);
            rs.dirty = true;
        }
        return size_changed;
    }

    // scaleReplicaSetAndRecordEvent: only when the size changes.
    bool scale_rs_if_needed(Rs& rs, std::int64_t size) {
        return rs.replicas() != size && scale_rs(rs, size);
    }

    std::vector<Rs*> all_rs() const {
        std::vector<Rs*> all = old_rs_;
        if (new_rs_) {
            all.push_back(new_rs_);
        }
        return all;
    }

    // checkPausedConditions.
    void check_paused_conditions() {
        if (!has_deadline()) {
            return;
        }
        const auto* cond = find_condition(&status_, "Progressing");
        if (cond && str(cond, "reason") == "ProgressDeadlineExceeded") {
            return;
        }
        bool paused_cond = cond && str(cond, "reason") == "DeploymentPaused";
        if (paused_ && !paused_cond) {
            set_condition(status_, new_condition("Progressing", "Unknown", "DeploymentPaused",
                                                 "Deployment is paused", now_));
        } else if (!paused_ && paused_cond) {
            set_condition(status_, new_condition("Progressing", "Unknown", "DeploymentResumed",
                                                 "Deployment is resumed", now_));
        }
    }

    // isScalingEvent: an active ReplicaSet whose desired-replicas annotation differs.
    bool is_scaling_event() const {
        for (const auto* rs : active(all_rs())) {
            auto desired = parse_int(rs->annotation(kDesiredReplicasAnnotation));
            if (desired && *desired != replicas_) {
                return true;
            }
        }
        return false;
    }

    // scale: for scaling events and paused Deployments.
    void scale() {
        // FindActiveOrLatest.
        std::vector<Rs*> olds = old_rs_;
        std::stable_sort(olds.begin(), olds.end(),
                         [](const Rs* a, const Rs* b) { return older(b, a); });
        std::vector<Rs*> candidates = olds;
        if (new_rs_) {
            candidates.push_back(new_rs_);
        }
        auto act = active(candidates);
        Rs* only = nullptr;
        if (act.size() == 1) {
            only = act[0];
        } else if (act.empty()) {
            only = new_rs_ ? new_rs_ : (olds.empty() ? nullptr : olds[0]);
        }
        if (only || (act.empty() && !new_rs_ && olds.empty())) {
            if (only && only->replicas() != replicas_) {
                scale_rs_if_needed(*only, replicas_);
            }
            return;
        }
        // IsSaturated: the new ReplicaSet runs everything, so old ones go to zero.
        if (new_rs_ && new_rs_->replicas() == replicas_ &&
            parse_int(new_rs_->annotation(kDesiredReplicasAnnotation)) == replicas_ &&
            new_rs_->available() == replicas_) {
            for (auto* rs : active(old_rs_)) {
                scale_rs_if_needed(*rs, 0);
            }
            return;
        }
        if (!rolling()) {
            return;
        }
        // Proportional scaling of the active ReplicaSets.
        auto sets = act;
        std::int64_t allowed = replicas_ > 0 ? replicas_ + max_surge() : 0;
        std::int64_t to_add = allowed - sum_replicas(sets);
        if (to_add > 0) {
            std::sort(sets.begin(), sets.end(), [](const Rs* a, const Rs* b) {
                if (a->replicas() != b->replicas()) {
                    return a->replicas() > b->replicas();
                }
                return older(b, a);  // bigger first, then newer first
            });
        } else if (to_add < 0) {
            std::sort(sets.begin(), sets.end(), [](const Rs* a, const Rs* b) {
                if (a->replicas() != b->replicas()) {
                    return a->replicas() > b->replicas();
                }
                return older(a, b);  // bigger first, then older first
            });
        }
        std::int64_t added = 0;
        std::vector<std::int64_t> sizes;
        for (auto* rs : sets) {
            std::int64_t p = to_add != 0 ? proportion(*rs, to_add, added) : 0;
            sizes.push_back(rs->replicas() + p);
            added += p;
        }
        for (std::size_t i = 0; i < sets.size(); ++i) {
            if (i == 0 && to_add != 0) {
                sizes[0] = std::max<std::int64_t>(sizes[0] + (to_add - added), 0);
            }
            scale_rs(*sets[i], sizes[i]);
        }
    }

    // GetProportion / getReplicaSetFraction.
    std::int64_t proportion(const Rs& rs, std::int64_t to_add, std::int64_t added) const {
        if (rs.replicas() == 0 || to_add == 0 || to_add == added) {
            return 0;
        }
        std::int64_t fraction;
        if (replicas_ == 0) {
            fraction = -rs.replicas();
        } else {
            auto deployment_replicas = replicas_ + max_surge();
            auto annotated = parse_int(rs.annotation(kMaxReplicasAnnotation));
            std::int64_t base = annotated ? *annotated : int_or(&observed_status(), "replicas", 0);
            if (base == 0) {
                fraction = 0;  // upstream divides by zero here; scale nothing by proportion
            } else {
                double size = static_cast<double>(rs.replicas() * deployment_replicas) /
                              static_cast<double>(base);
                fraction = static_cast<std::int64_t>(std::round(size)) - rs.replicas();
            }
        }
        auto allowed = to_add - added;
        return to_add > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
    }

    const json::object& observed_status() const {
        static const json::object kEmpty;
        const auto* s = obj(d_, "status");
        return s ? *s : kEmpty;
    }

    // rolloutRolling.
    void rollout_rolling() {
        if (!new_rs_ && !create_new_rs()) {
            sync_status();  // a collision (or a cache behind our own create): status only
            return;
        }
        if (reconcile_new_rs() || reconcile_old_rs()) {
            sync_rollout_status();
            return;
        }
        if (complete(status_)) {  // upstream's d.Status: as observed, plus this sync's conditions
            cleanup();
        }
        sync_rollout_status();
    }

    bool reconcile_new_rs() {
        if (new_rs_->replicas() == replicas_) {
            return false;
        }
        if (new_rs_->replicas() > replicas_) {
            return scale_rs_if_needed(*new_rs_, replicas_);
        }
        return scale_rs_if_needed(*new_rs_, new_rs_new_replicas(all_rs(), *new_rs_));
    }

    // reconcileOldReplicaSets: first drop unhealthy old replicas, then scale old ReplicaSets
    // down as far as availability allows.
    bool reconcile_old_rs() {
        auto olds = active(old_rs_);
        if (sum_replicas(olds) == 0) {
            return false;
        }
        auto all = all_rs();
        auto min_available = replicas_ - max_unavailable();
        auto new_unavailable = new_rs_->replicas() - new_rs_->available();
        auto max_scaled_down = sum_replicas(all) - min_available - new_unavailable;
        if (max_scaled_down <= 0) {
            return false;
        }
        std::stable_sort(olds.begin(), olds.end(), older);
        std::int64_t cleaned = 0;
        for (auto* rs : olds) {
            if (cleaned >= max_scaled_down) {
                break;
            }
            if (rs->replicas() == 0 || rs->replicas() == rs->available()) {
                continue;
            }
            auto n = std::min(max_scaled_down - cleaned, rs->replicas() - rs->available());
            if (n < 0) {
                return false;  // status ahead of spec: upstream gives up this pass
            }
            scale_rs_if_needed(*rs, rs->replicas() - n);
            cleaned += n;
        }

        std::int64_t available = 0;
        for (const auto* rs : olds) {
            available += rs->available();
        }
        available += new_rs_->available();
        std::int64_t scaled = 0;
        if (available > min_available) {
            auto total = available - min_available;
            for (auto* rs : olds) {
                if (scaled >= total) {
                    break;
                }
                if (rs->replicas() == 0) {
                    continue;
                }
                auto n = std::min(rs->replicas(), total - scaled);
                scale_rs_if_needed(*rs, rs->replicas() - n);
                scaled += n;
            }
        }
        return cleaned + scaled > 0;
    }

    // rolloutRecreate.
    void rollout_recreate() {
        bool scaled_down = false;
        for (auto* rs : active(old_rs_)) {
            scaled_down = scale_rs_if_needed(*rs, 0) || scaled_down;
        }
        if (scaled_down || old_pods_running()) {
            sync_rollout_status();
            return;
        }
        if (!new_rs_ && !create_new_rs()) {
            sync_status();
            return;
        }
        scale_rs_if_needed(*new_rs_, replicas_);
        if (complete(status_)) {
            cleanup();
        }
        sync_rollout_status();
    }

    // oldPodsRunning: old ReplicaSets report pods, or pods of theirs are not finished.
    bool old_pods_running() const {
        std::int64_t old = 0;
        for (const auto* rs : old_rs_) {
            old += rs->status_replicas();
        }
        if (old > 0) {
            return true;
        }
        for (const auto& [uid, pods] : pod_map_) {
            if (new_rs_ && new_rs_->uid() == uid) {
                continue;
            }
            for (const auto* pod : pods) {
                auto phase = str(obj(*pod, "status"), "phase");
                if (phase != "Failed" && phase != "Succeeded") {
                    return true;
                }
            }
        }
        return false;
    }

    // DeploymentComplete.
    bool complete(const json::object& s) const {
        return int_or(&s, "updatedReplicas", 0) == replicas_ &&
               int_or(&s, "replicas", 0) == replicas_ &&
               int_or(&s, "availableReplicas", 0) == replicas_ &&
               int_or(&s, "observedGeneration", 0) >= generation_;
    }

    // cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit.
    void cleanup() {
        if (history_limit_ == kMaxInt32) {
            return;
        }
        std::vector<Rs*> cleanable;
        for (auto* rs : old_rs_) {
            if (!rs->deleting()) {
                cleanable.push_back(rs);
            }
        }
        auto diff = static_cast<std::int64_t>(cleanable.size()) - history_limit_;
        if (diff <= 0) {
            return;
        }
        std::stable_sort(cleanable.begin(), cleanable.end(), [](const Rs* a, const Rs* b) {
            auto ra = a->revision();
            auto rb = b->revision();
            if (!ra || !rb || *ra == *rb) {
                return older(a, b);
            }
            return *ra < *rb;
        });
        for (std::int64_t i = 0; i < diff; ++i) {
            auto* rs = cleanable[i];
            if (rs->status_replicas() != 0 || rs->replicas() != 0 || rs->dirty ||
                int_or(rs->meta(), "generation", 0) >
                    int_or(rs->status(), "observedGeneration", 0)) {
                continue;
            }
            out_.deletes.emplace_back(rs->name());
        }
    }

    // calculateStatus: counts from the ReplicaSets, and the Available condition.
    json::object calculate_status() const {
        auto all = all_rs();
        std::int64_t available = 0, total = 0, actual = 0, ready = 0;
        for (const auto* rs : all) {
            available += rs->available();
            total += rs->replicas();
            actual += rs->status_replicas();
            ready += rs->ready();
        }
        json::object s = status_;
        set_count(s, "observedGeneration", generation_);
        set_count(s, "replicas", actual);
        set_count(s, "updatedReplicas", new_rs_ ? new_rs_->status_replicas() : 0);
        set_count(s, "readyReplicas", ready);
        set_count(s, "availableReplicas", available);
        set_count(s, "unavailableReplicas", std::max<std::int64_t>(total - available, 0));
        if (available >= replicas_ - max_unavailable()) {
            set_condition(s, new_condition("Available", "True", "MinimumReplicasAvailable",
                                           "Deployment has minimum availability.", now_));
        } else {
            set_condition(s, new_condition("Available", "False", "MinimumReplicasUnavailable",
                                           "Deployment does not have minimum availability.", now_));
        }
        return s;
    }

    // syncDeploymentStatus.
    void sync_status() { status_ = calculate_status(); }

    // syncRolloutStatus: status plus the Progressing estimate and ReplicaFailure.
    void sync_rollout_status() {
        auto s = calculate_status();
        if (!has_deadline()) {
            remove_condition(s, "Progressing");
        }
        const json::object* cur = find_condition(&status_, "Progressing");
        bool is_complete = int_or(&s, "replicas", 0) == int_or(&s, "updatedReplicas", 0) && cur &&
                           str(cur, "reason") == "NewReplicaSetAvailable";
        std::string subject =
            new_rs_ ? "ReplicaSet " + quoted(new_rs_->name()) : "Deployment " + quoted(name_);
        if (has_deadline() && !is_complete) {
            if (complete(s)) {
                set_condition(s, new_condition("Progressing", "True", "NewReplicaSetAvailable",
                                               subject + " has successfully progressed.", now_));
            } else if (progressing(s)) {
                auto cond = new_condition("Progressing", "True", "ReplicaSetUpdated",
                                          subject + " is progressing.", now_);
                if (cur) {
                    if (str(cur, "status") == "True") {
                        if (const auto* ltt = cur->if_contains("lastTransitionTime")) {
                            cond["lastTransitionTime"] = *ltt;
                        }
                    }
                    remove_condition(s, "Progressing");
                }
                set_condition(s, std::move(cond));
            } else if (timed_out(s)) {
                set_condition(s, new_condition("Progressing", "False", "ProgressDeadlineExceeded",
                                               subject + " has timed out progressing.", now_));
            }
        }
        if (auto failure = replica_failure()) {
            set_condition(s, std::move(*failure));
        } else {
            remove_condition(s, "ReplicaFailure");
        }
        const bool unchanged = s == status_;
        status_ = std::move(s);
        if (unchanged) {
            requeue_stuck();
        }
    }

    // DeploymentProgressing: more updated, fewer old, more ready or more available replicas.
    bool progressing(const json::object& s) const {
        auto c = [](const json::object& o, std::string_view k) { return int_or(&o, k, 0); };
        auto old_old = c(status_, "replicas") - c(status_, "updatedReplicas");
        auto new_old = c(s, "replicas") - c(s, "updatedReplicas");
        return c(s, "updatedReplicas") > c(status_, "updatedReplicas") || new_old < old_old ||
               c(s, "readyReplicas") > c(status_, "readyReplicas") ||
               c(s, "availableReplicas") > c(status_, "availableReplicas");
    }

    // DeploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds.
    bool timed_out(const json::object& s) const {
        if (!has_deadline()) {
            return false;
        }
        const auto* cond = find_condition(&s, "Progressing");
        if (!cond) {
            return false;
        }
        auto reason = str(cond, "reason");
        if (reason == "NewReplicaSetAvailable") {
            return false;
        }
        if (reason == "ProgressDeadlineExceeded") {
            return true;
        }
        auto from = parse_time(str(cond, "lastUpdateTime"));
        if (!from) {
            return true;  // Go's zero time is long past any deadline
        }
        return *from + std::chrono::seconds(deadline_) < now_;
    }

    // getReplicaFailures: the new ReplicaSet's ReplicaFailure, else any ReplicaSet's.
    std::optional<json::object> replica_failure() const {
        auto convert = [](const json::object& c) {
            json::object out{{"type", "ReplicaFailure"}};
            for (std::string_view k : {"status", "reason", "message"}) {
                if (const auto* v = c.if_contains(k)) {
                    out[k] = *v;
                }
            }
            if (const auto* t = c.if_contains("lastTransitionTime")) {
                out["lastTransitionTime"] = *t;
                out["lastUpdateTime"] = *t;
            }
            return out;
        };
        if (new_rs_) {
            if (const auto* c = find_condition(new_rs_->status(), "ReplicaFailure")) {
                return convert(*c);
            }
        }
        for (const auto* rs : all_rs()) {
            if (const auto* c = find_condition(rs->status(), "ReplicaFailure")) {
                return convert(*c);
            }
        }
        return std::nullopt;
    }

    // requeueStuckDeployment: come back when the progress deadline would pass.
    void requeue_stuck() {
        const auto* cur = find_condition(&status_, "Progressing");
        if (!has_deadline() || !cur) {
            return;
        }
        if (complete(status_) || str(cur, "reason") == "ProgressDeadlineExceeded") {
            return;
        }
        auto last = parse_time(str(cur, "lastUpdateTime"));
        auto after =
            last ? *last + std::chrono::seconds(deadline_) - now_ : TimePoint::duration::zero();
        if (after < std::chrono::seconds(1)) {
            out_.requeue_after = std::chrono::seconds(0);
        } else {
            // A second more to stay clear of sub-second skew, as upstream.
            out_.requeue_after =
                std::chrono::floor<std::chrono::seconds>(after) + std::chrono::seconds(1);
        }
    }

    Actions finish() {
        for (auto& rs : sets_) {
            if (rs.created) {
                out_.creates.push_back(rs.obj);
            } else if (rs.dirty) {
                out_.updates.push_back(rs.obj);
            }
        }
        if (revision_ && revision_ != observed_revision_) {
            out_.deployment_patch = json::object{
                {"metadata",
                 json::object{{"annotations", json::object{{kRevisionAnnotation, *revision_}}}}}};
        }
        const auto* observed = obj(d_, "status");
        if (observed ? *observed != status_ : !status_.empty()) {
            out_.status = status_;
        }
        return std::move(out_);
    }

    const json::object& d_;
    std::span<const json::object> all_replicasets_;
    std::span<const json::object> pods_;
    TimePoint now_;

    const json::object* meta_ = nullptr;
    const json::object* spec_ = nullptr;
    std::string_view name_;
    std::int64_t generation_ = 0;
    std::int64_t replicas_ = 1;
    std::string_view strategy_;
    std::int64_t surge_ = 0;
    std::int64_t unavailable_ = 0;
    std::int64_t min_ready_ = 0;
    std::int64_t deadline_ = 600;
    std::int64_t history_limit_ = 10;
    bool paused_ = false;

    Owner owner_;
    json::object status_;  // upstream's d.Status as the sync mutates it
    std::optional<std::string> revision_;
    std::optional<std::string> observed_revision_;
    std::deque<Rs> sets_;  // deque: pointers stay valid when the new ReplicaSet is added
    Rs* new_rs_ = nullptr;
    std::vector<Rs*> old_rs_;
    std::int64_t max_old_revision_ = 0;
    std::map<std::string, std::vector<const json::object*>> pod_map_;
    Actions out_;
};

}  // namespace

std::string pod_template_hash(const json::value& template_,
                              std::optional<std::int64_t> collision_count) {
    auto text = canonical(template_);
    std::uint32_t h = 2166136261u;
    auto feed = [&h](unsigned char byte) {
        h ^= byte;
        h *= 16777619u;
    };
    for (unsigned char ch : text) {
        feed(ch);
    }
    if (collision_count) {
        auto c = static_cast<std::uint32_t>(*collision_count);
        for (int i = 0; i < 8; ++i) {
            feed(i < 4 ? static_cast<unsigned char>((c >> (8 * i)) & 0xff) : 0);
        }
    }
    static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string out = std::to_string(h);
    for (auto& ch : out) {
        ch = kAlphabet[static_cast<unsigned char>(ch) % kAlphabet.size()];
    }
    return out;
}

bool templates_equal_ignoring_hash(const json::value& a, const json::value& b) {
    return canonical(without_hash_label(a)) == canonical(without_hash_label(b));
}

std::int64_t scaled_value(const json::value* v, std::int64_t total, bool round_up) {
    if (!v) {
        return 0;
    }
    if (v->is_int64()) {
        return v->as_int64();
    }
    if (v->is_uint64()) {
        return static_cast<std::int64_t>(v->as_uint64());
    }
    if (!v->is_string()) {
        return 0;
    }
    std::string_view s = v->as_string();
    if (s.empty() || s.back() != '%') {
        return 0;
    }
    auto percent = parse_int(s.substr(0, s.size() - 1));
    if (!percent || *percent < 0 || total < 0) {
        return 0;
    }
    auto product = *percent * total;
    return round_up ? (product + 99) / 100 : product / 100;
}

std::optional<json::object> failed_create_status(const json::object& d, std::string_view rs_name,
                                                 std::string_view message, TimePoint now) {
    auto deadline = int_or(obj(d, "spec"), "progressDeadlineSeconds", 600);
    if (deadline == kMaxInt32) {
        return std::nullopt;
    }
    json::object status;
    if (const auto* s = obj(d, "status")) {
        status = *s;
    }
    set_condition(status, new_condition("Progressing", "False", "ReplicaSetCreateError",
                                        "Failed to create new replica set " + quoted(rs_name) +
                                            ": " + std::string(message),
                                        now));
    return status;
}

Actions reconcile(const json::object& deployment, std::span<const json::object> replicasets,
                  std::span<const json::object> pods, TimePoint now) {
    return Sync(deployment, replicasets, pods, now).run();
}

}  // namespace skiff::controllers::deployment
