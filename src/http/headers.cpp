// Headers: case-insensitive lookups over an ordered list of fields.
#include "skiff/http/headers.h"

#include <algorithm>

namespace skiff::http {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

Headers::Headers(std::initializer_list<Field> fields) : fields_(fields) {}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [k, v] : fields_) {
        if (iequals(k, name)) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : fields_) {
        if (iequals(k, name)) {
            out.emplace_back(v);
        }
    }
    return out;
}

bool Headers::contains(std::string_view name) const { return get(name).has_value(); }

void Headers::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
    remove(name);
    add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

}  // namespace skiff::http
