// Router: dispatches requests to handlers by method and exact path or path prefix.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "skiff/http/exchange.h"

namespace skiff::http {

/// Exact routes win over prefix routes; the longest matching prefix wins. A path with no
/// route gets a 404 Status, a path routed only for other methods a 405 Status with Allow.
/// Routes are added before serving; dispatch does not modify the router.
class Router {
public:
    /// Routes `method` ("" for any) on exactly `path`.
    void add(std::string method, std::string path, Handler handler);
    /// Routes `method` ("" for any) on every path that starts with `prefix`.
    void add_prefix(std::string method, std::string prefix, Handler handler);

    boost::asio::awaitable<void> dispatch(Exchange& exchange) const;
    /// A Handler that dispatches through this router, which must outlive it.
    Handler handler() const;

private:
    struct Route {
        std::string method;
        std::string path;
        bool prefix = false;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace skiff::http
