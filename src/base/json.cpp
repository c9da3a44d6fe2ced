// JSON helpers over Boost.JSON.
#include "skiff/base/json.h"

#include <boost/json.hpp>

namespace skiff::base {
namespace json = boost::json;

Result<json::value> parse_json(std::string_view text) {
    json::parse_options options;
    options.max_depth = 1000;
    json::stream_parser parser({}, options);
    boost::system::error_code ec;
    const size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec && used < text.size()) {
        // write_some stops after a complete value; anything but whitespace after it is garbage.
        for (size_t i = used; i < text.size(); ++i) {
            char c = text[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return bad_request("invalid JSON at offset " + std::to_string(i) +
                                   ": unexpected data after the top-level value");
            }
        }
    }
    if (!ec) {
        parser.finish(ec);
    }
    if (ec) {
        return bad_request("invalid JSON at offset " + std::to_string(used) + ": " +
                           ec.message());
    }
    return parser.release();
}

const json::value* find(const json::value& root, std::initializer_list<std::string_view> path) {
    const json::value* v = &root;
    for (std::string_view key : path) {
        const auto* o = v->if_object();
        if (!o) {
            return nullptr;
        }
        v = o->if_contains(key);
        if (!v) {
            return nullptr;
        }
    }
    return v;
}

json::value* find(json::value& root, std::initializer_list<std::string_view> path) {
    return const_cast<json::value*>(find(static_cast<const json::value&>(root), path));
}

std::string_view string_at(const json::value& root, std::initializer_list<std::string_view> path,
                           std::string_view fallback) {
    const auto* v = find(root, path);
    return v && v->is_string() ? std::string_view(v->get_string()) : fallback;
}

std::int64_t int_at(const json::value& root, std::initializer_list<std::string_view> path,
                    std::int64_t fallback) {
    const auto* v = find(root, path);
    if (!v) {
        return fallback;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    return fallback;
}

std::string to_json(const json::value& value) { return json::serialize(value); }

namespace {

void pretty(std::string& out, const json::value& v, int indent, int depth) {
    auto newline = [&](int d) {
        out += '\n';
        out.append(static_cast<size_t>(indent * d), ' ');
    };
    if (const auto* o = v.if_object()) {
        if (o->empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& kv : *o) {
            if (!first) {
                out += ',';
            }
            first = false;
            newline(depth + 1);
            out += json::serialize(json::string(kv.key()));
            out += ": ";
            pretty(out, kv.value(), indent, depth + 1);
        }
        newline(depth);
        out += '}';
    } else if (const auto* a = v.if_array()) {
        if (a->empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first = true;
        for (const auto& e : *a) {
            if (!first) {
                out += ',';
            }
            first = false;
            newline(depth + 1);
            pretty(out, e, indent, depth + 1);
        }
        newline(depth);
        out += ']';
    } else {
        out += json::serialize(v);
    }
}

}  // namespace

std::string to_pretty_json(const json::value& value, int indent) {
    std::string out;
    pretty(out, value, indent, 0);
    out += '\n';
    return out;
}

}  // namespace skiff::base
