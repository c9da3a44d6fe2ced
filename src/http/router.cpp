// Router: exact routes first, then the longest matching prefix; 404 and 405 as Status.
#include "skiff/http/router.h"

namespace skiff::http {
namespace {

bool method_matches(std::string_view route, std::string_view method) {
    return route.empty() || route == method;
}

}  // namespace

void Router::add(std::string method, std::string path, Handler handler) {
    routes_.push_back({std::move(method), std::move(path), false, std::move(handler)});
}

void Router::add_prefix(std::string method, std::string prefix, Handler handler) {
    routes_.push_back({std::move(method), std::move(prefix), true, std::move(handler)});
}

boost::asio::awaitable<void> Router::dispatch(Exchange& exchange) const {
    const Request& req = exchange.request();
    // Among the routes whose path matches, the best has the highest rank: an exact match
    // outranks any prefix, a longer prefix a shorter one. Path matches only for other methods
    // make a 405, no path match a 404.
    const Route* best = nullptr;
    std::size_t best_rank = 0;
    std::string allow;
    for (const Route& r : routes_) {
        const bool match = r.prefix ? req.path.starts_with(r.path) : req.path == r.path;
        if (!match) {
            continue;
        }
        if (!method_matches(r.method, req.method)) {
            if (allow.find(r.method) == std::string::npos) {
                allow += allow.empty() ? r.method : ", " + r.method;
            }
            continue;
        }
        const std::size_t rank = r.prefix ? r.path.size() + 1 : std::string::npos;
        if (rank > best_rank) {
            best_rank = rank;
            best = &r;
        }
    }
    if (best) {
        co_await best->handler(exchange);
        co_return;
    }
    if (allow.empty()) {
        co_await exchange.respond(from_status(
            base::Status(base::Reason::NotFound, "the server could not find the requested resource")));
        co_return;
    }
    Response r = from_status(base::Status(base::Reason::MethodNotAllowed,
                                          "the server does not allow this method on the "
                                          "requested resource"));
    r.headers.set("Allow", allow);
    co_await exchange.respond(std::move(r));
}

Handler Router::handler() const {
    return [this](Exchange& exchange) { return dispatch(exchange); };
}

}  // namespace skiff::http
