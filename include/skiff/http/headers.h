// Headers: an ordered, case-insensitive, multi-valued list of HTTP header fields.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace skiff::http {

/// True when `a` and `b` are equal ignoring ASCII case (header names, tokens).
bool iequals(std::string_view a, std::string_view b);

class Headers {
public:
    using Field = std::pair<std::string, std::string>;

    Headers() = default;
    Headers(std::initializer_list<Field> fields);

    /// The first value of `name`, if any.
    std::optional<std::string_view> get(std::string_view name) const;
    /// Every value of `name`, in order.
    std::vector<std::string_view> get_all(std::string_view name) const;
    bool contains(std::string_view name) const;

    /// Appends a field, keeping earlier ones of the same name.
    void add(std::string name, std::string value);
    /// Replaces every field of `name` with one.
    void set(std::string name, std::string value);
    void remove(std::string_view name);

    std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
    std::vector<Field>::const_iterator end() const { return fields_.end(); }
    std::size_t size() const { return fields_.size(); }
    bool empty() const { return fields_.empty(); }

    bool operator==(const Headers&) const = default;

private:
    std::vector<Field> fields_;
};

}  // namespace skiff::http
