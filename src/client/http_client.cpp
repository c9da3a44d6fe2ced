// HttpClient: Client over HTTPS to a remote apiserver.
#include <deque>

#include <boost/json.hpp>

#include "skiff/base/json.h"
#include "skiff/client/client.h"

namespace skiff::client {
namespace asio = boost::asio;
namespace json = boost::json;
using base::Reason;
using base::Result;
using base::Status;

namespace {

std::string escape_query(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string path_of(const api::ResourceType& type, std::string_view ns, std::string_view name,
                    std::string_view subresource) {
    std::string p = type.gv.group.empty() ? "/api/" + type.gv.version
                                          : "/apis/" + type.gv.group + "/" + type.gv.version;
    if (type.namespaced && !ns.empty()) {
        p += "/namespaces/" + std::string(ns);
    }
    p += "/" + type.resource;
    if (!name.empty()) {
        p += "/" + std::string(name);
    }
    if (!subresource.empty()) {
        p += "/" + std::string(subresource);
    }
    return p;
}

void add_param(std::string& query, std::string_view key, std::string_view value) {
    if (value.empty()) {
        return;
    }
    query += query.empty() ? '?' : '&';
    query += std::string(key) + "=" + escape_query(value);
}

std::string list_query(const api::ListOptions& o, bool watch) {
    std::string q;
    add_param(q, "labelSelector", o.label_selector);
    add_param(q, "fieldSelector", o.field_selector);
    add_param(q, "limit", o.limit > 0 ? std::to_string(o.limit) : "");
    add_param(q, "continue", o.continue_token);
    add_param(q, "resourceVersion", o.resource_version);
    add_param(q, "resourceVersionMatch", o.resource_version_match);
    add_param(q, "timeoutSeconds", o.timeout.count() > 0 ? std::to_string(o.timeout.count()) : "");
    if (watch) {
        add_param(q, "watch", "true");
        add_param(q, "allowWatchBookmarks", o.allow_bookmarks ? "true" : "");
    }
    return q;
}

std::string write_query(const api::WriteOptions& o) {
    std::string q;
    add_param(q, "dryRun", o.dry_run ? "All" : "");
    add_param(q, "fieldManager", o.field_manager);
    return q;
}

/// A response as the object it carries, or the Status it failed with.
Result<json::object> object_of(const http::Response& r) {
    auto body = base::parse_json(r.body);
    if (r.status >= 200 && r.status < 300) {
        if (!body.ok() || !body->is_object()) {
            return base::internal_error("the server answered " + std::to_string(r.status) +
                                        " with a body that is not a JSON object");
        }
        return std::move(body->as_object());
    }
    if (body.ok() && body->is_object() && base::string_at(*body, {"kind"}) == "Status") {
        auto status = Status::from_json(*body);
        if (!status.ok()) {
            return status;
        }
    }
    return Status(Reason::Unknown, "the server answered " + std::to_string(r.status) + ": " +
                                       r.body.substr(0, 200))
        .set_code(r.status);
}

/// Watch events from a chunked body, one JSON object per line.
class HttpEventStream final : public api::EventStream {
public:
    explicit HttpEventStream(std::unique_ptr<http::ResponseReader> reader)
        : reader_(std::move(reader)) {}

    asio::awaitable<Result<api::WatchEvent>> next() override {
        for (;;) {
            if (cancelled_) {
                co_return Status(Reason::Gone, "watch cancelled");
            }
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                auto line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                if (line.empty()) {
                    continue;
                }
                auto v = base::parse_json(line);
                if (!v.ok() || !v->is_object()) {
                    co_return base::internal_error("a watch event is not a JSON object");
                }
                auto& o = v->as_object();
                const auto* object = o.if_contains("object");
                api::WatchEvent e{std::string(base::string_at(*v, {"type"})),
                                  object && object->is_object() ? object->as_object()
                                                                : json::object{}};
                co_return e;
            }
            if (ended_) {
                co_return Status(Reason::Gone, "the watch ended");
            }
            auto chunk = co_await reader_->read();
            if (!chunk.ok()) {
                co_return chunk.status();
            }
            if (chunk->empty()) {
                ended_ = true;
            }
            buffer_ += *chunk;
        }
    }
    void cancel() override { cancelled_ = true; }

private:
    std::unique_ptr<http::ResponseReader> reader_;
    std::string buffer_;
    bool ended_ = false;
    bool cancelled_ = false;
};

class HttpClient final : public Client {
public:
    HttpClient(http::Client client, std::string server)
        : http_(std::move(client)), server_(std::move(server)) {}

    // Requests are built before any co_await: g++ 12 mishandles temporaries inside a
    // co_await expression (see client.h).
    asio::awaitable<Result<json::object>> get(const api::ResourceType& type, std::string ns,
                                              std::string name, std::string subresource) override {
        auto request = make("GET", path_of(type, ns, name, subresource), {}, {});
        co_return co_await send(std::move(request));
    }
    asio::awaitable<Result<json::object>> list(const api::ResourceType& type, std::string ns,
                                               api::ListOptions options) override {
        auto request = make("GET", path_of(type, ns, "", "") + list_query(options, false), {}, {});
        co_return co_await send(std::move(request));
    }
    asio::awaitable<Result<std::unique_ptr<api::EventStream>>> watch(
        const api::ResourceType& type, std::string ns, api::ListOptions options) override {
        auto request = make("GET", path_of(type, ns, "", "") + list_query(options, true), {}, {});
        auto reader = co_await http_.stream(server_, std::move(request));
        if (!reader.ok()) {
            co_return reader.status();
        }
        if ((*reader)->response().status != 200) {
            // An error before the stream: its body is the Status.
            std::string body;
            for (;;) {
                auto chunk = co_await (*reader)->read();
                if (!chunk.ok() || chunk->empty()) {
                    break;
                }
                body += *chunk;
            }
            http::Response r = (*reader)->response();
            r.body = std::move(body);
            co_return object_of(r).status();
        }
        co_return std::unique_ptr<api::EventStream>(
            std::make_unique<HttpEventStream>(std::move(*reader)));
    }
    asio::awaitable<Result<json::object>> create(const api::ResourceType& type, std::string ns,
                                                 json::object object,
                                                 api::WriteOptions options) override {
        auto request = make("POST", path_of(type, ns, "", "") + write_query(options),
                            json::serialize(object), "application/json");
        co_return co_await send(std::move(request));
    }
    asio::awaitable<Result<json::object>> update(const api::ResourceType& type,
                                                 json::object object, std::string subresource,
                                                 api::WriteOptions options) override {
        const json::value whole(object);
        auto path = path_of(type, base::string_at(whole, {"metadata", "namespace"}),
                            base::string_at(whole, {"metadata", "name"}), subresource);
        auto request = make("PUT", path + write_query(options), json::serialize(object),
                            "application/json");
        co_return co_await send(std::move(request));
    }
    asio::awaitable<Result<json::object>> patch(const api::ResourceType& type, std::string ns,
                                                std::string name, api::PatchType patch_type,
                                                std::string patch, std::string subresource,
                                                api::WriteOptions options) override {
        auto request = make("PATCH", path_of(type, ns, name, subresource) + write_query(options),
                            std::move(patch), std::string(api::content_type(patch_type)));
        co_return co_await send(std::move(request));
    }
    asio::awaitable<Result<json::object>> remove(const api::ResourceType& type, std::string ns,
                                                 std::string name,
                                                 json::object delete_options) override {
        std::string body;
        std::string ct;
        if (!delete_options.empty()) {
            body = json::serialize(delete_options);
            ct = "application/json";
        }
        auto request = make("DELETE", path_of(type, ns, name, ""), std::move(body), std::move(ct));
        co_return co_await send(std::move(request));
    }

private:
    static http::Request make(std::string method, std::string target, std::string body,
                              std::string content_type) {
        auto request = http::Request::make(std::move(method), std::move(target), std::move(body));
        request.headers.set("Accept", "application/json");
        if (!content_type.empty()) {
            request.headers.set("Content-Type", std::move(content_type));
        }
        return request;
    }

    asio::awaitable<Result<json::object>> send(http::Request request) {
        auto response = co_await http_.request(server_, std::move(request));
        if (!response.ok()) {
            co_return response.status();
        }
        co_return object_of(*response);
    }

    http::Client http_;
    std::string server_;
};

}  // namespace

Result<std::unique_ptr<Client>> make_http_client(asio::any_io_executor executor,
                                                 HttpClientConfig config) {
    auto http = http::Client::create(std::move(executor), std::move(config.http));
    if (!http.ok()) {
        return http.status();
    }
    return std::unique_ptr<Client>(
        std::make_unique<HttpClient>(std::move(*http), std::move(config.server)));
}

}  // namespace skiff::client
