// Path parsing for resource requests; see request_info.h.
#include "request_info.h"

#include <vector>

namespace skiff::apiserver {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        while (!path.empty() && path.front() == '/') {
            path.remove_prefix(1);
        }
        auto end = path.find('/');
        auto seg = path.substr(0, end);
        if (!seg.empty()) {
            out.push_back(seg);
        }
        path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
    }
    return out;
}

}  // namespace

std::optional<RequestInfo> parse_request_info(std::string_view method, std::string_view path,
                                              bool watch) {
    auto s = segments(path);
    RequestInfo info;
    std::size_t i = 0;
    if (s.size() >= 2 && s[0] == "api") {
        info.gv = {"", std::string(s[1])};
        i = 2;
    } else if (s.size() >= 3 && s[0] == "apis") {
        info.gv = {std::string(s[1]), std::string(s[2])};
        i = 3;
    } else {
        return std::nullopt;
    }
    // Legacy watch paths (/api/v1/watch/namespaces/x/pods) mean ?watch=true.
    if (i < s.size() && s[i] == "watch") {
        watch = true;
        ++i;
    }
    // namespaces/<ns>/<resource>... names a namespaced resource; namespaces/<ns> alone, or
    // with its subresources status and finalize, is the namespace object itself.
    if (s.size() - i >= 3 && s[i] == "namespaces" && s[i + 2] != "status" &&
        s[i + 2] != "finalize") {
        info.namespace_ = std::string(s[i + 1]);
        i += 2;
    }
    if (i < s.size()) {
        info.resource = std::string(s[i++]);
    }
    if (i < s.size()) {
        info.name = std::string(s[i++]);
    }
    if (i < s.size()) {
        info.subresource = std::string(s[i++]);
    }
    if (i < s.size()) {
        return std::nullopt;  // deeper paths (proxy) are not served
    }
    if (info.resource.empty()) {
        info.verb = "discovery";
        return info;
    }
    const bool item = !info.name.empty();
    if (method == "GET" || method == "HEAD") {
        info.verb = watch ? "watch" : item ? "get" : "list";
    } else if (method == "POST") {
        info.verb = "create";
    } else if (method == "PUT") {
        info.verb = "update";
    } else if (method == "PATCH") {
        info.verb = "patch";
    } else if (method == "DELETE") {
        info.verb = item ? "delete" : "deletecollection";
    } else {
        info.verb = "unknown";
    }
    return info;
}

}  // namespace skiff::apiserver
