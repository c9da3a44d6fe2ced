// Server-side printing: meta.k8s.io Tables for `kubectl get`, with upstream's columns and cells.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "skiff/api/registry.h"
#include "skiff/base/status.h"

namespace skiff::api {

using WallClock = std::chrono::system_clock;

/// duration.HumanDuration: "45s" (below 2m), "3m20s", "15m", "2h5m", "20h", "3d4h", "45d",
/// "3y20d", "9y". Below -1s it is "<invalid>"; -1s..0 is "0s" (clock skew).
std::string human_duration(std::chrono::nanoseconds d);

/// An RFC 3339 timestamp as the API writes them ("2024-05-01T10:00:00Z", optional fraction,
/// "Z" or a ±hh:mm offset); nullopt when it does not parse.
std::optional<WallClock::time_point> parse_timestamp(std::string_view text);

/// The age cell of a timestamp: human_duration(now - t), "<unknown>" when empty or unparsable.
std::string translate_timestamp_since(std::string_view timestamp, WallClock::time_point now);

/// The subset of client-go's JSONPath that printer columns use, with the semantics the CRD
/// table convertor gives it (missing keys are no result, not an error):
/// `.a.b`, `.a\.b` (escaped dot), `['a.b']`, `[n]` (negative from the end), `[a:b]`, `[a:b:s]`,
/// `[*]`, `.*`, `[?(@.x == "v")]` with ==, !=, <, >, <=, >= against a string, number or
/// boolean literal, and `[?(@.x)]` (exists). An optional leading `$` and enclosing `{}` are
/// accepted. Recursive descent (`..`), unions and ranges are not supported.
class JsonPath {
public:
    /// Failures are BadRequest naming the path, e.g. `unrecognized column definition ".a["`.
    static base::Result<JsonPath> parse(std::string_view path);

    /// Every value the path selects, in document order. A runtime error (index out of
    /// bounds, filtering a non-array, comparing mismatched types) is a BadRequest failure;
    /// printing treats it as an empty cell, as upstream does.
    base::Result<std::vector<const boost::json::value*>> find(const boost::json::value& root) const;
    /// The same over an object root, without copying it; a path of no steps (".") selects
    /// nothing here.
    base::Result<std::vector<const boost::json::value*>> find(
        const boost::json::object& root) const;

    const std::string& text() const { return text_; }

    struct Program;  // the parsed steps, defined in table.cpp

private:
    std::string text_;
    std::shared_ptr<const Program> program_;
};

/// The cell of a CRD printer column (the CRD table convertor's rules): the first result of the
/// column's JSONPath, as the column type wants it. string: Go's fmt printing of any value
/// (maps as `map[k:v]`); integer/number/boolean: the value when it has that JSON type
/// (numbers convert), else null; date: the age of an RFC 3339 string ("<invalid>" when it
/// does not parse); no result, a path error or another type: null.
boost::json::value custom_column_cell(const PrinterColumn& column,
                                      const boost::json::object& object, WallClock::time_point now);

/// Column definitions of a type, in cell order, wide (priority 1) columns included: the
/// server always computes every column and kubectl hides priority > 0 without `-o wide`.
///   - Built-in kinds: upstream's default printers of v1.32 (pkg/printers/internalversion),
///     e.g. pods Name Ready Status Restarts Age IP* Node* "Nominated Node"* "Readiness
///     Gates"*; events start with "Last Seen" and end with Name*.
///   - Custom types (`type.custom`): Name, then `type.columns` (the CRD's
///     additionalPrinterColumns, in order, with their JSONPaths). As upstream, no Age is added
///     to a non-empty list; an empty list means the CRD default: one Age column of type date
///     over `.metadata.creationTimestamp`.
///   - Built-in kinds without an upstream printer (roles, clusterroles, limitranges, CRDs...):
///     `type.columns` as for custom types when the registry sets any, else upstream's default
///     convertor: Name and "Created At" (type date, an RFC 3339 UTC cell).
/// The returned columns carry `json_path` only for JSONPath columns; column names are
/// upstream's ("Name", "Up-to-date"), kubectl upper-cases them.
std::vector<PrinterColumn> table_columns(const ResourceType& type);

/// The cells of one object's row, one per table_columns(type), computed as upstream's printers
/// do (AGE, READY "1/2", pod STATUS and RESTARTS "3 (5m ago)", service PORT(S) "80:30080/TCP",
/// node ROLES, "<none>" where upstream prints it...). Cells are strings, integers, booleans
/// or null, with the JSON types upstream uses. Missing fields count as their API defaults
/// (e.g. replicas 1, service type ClusterIP, protocol TCP).
boost::json::array table_cells(const ResourceType& type, const boost::json::object& object,
                               WallClock::time_point now);

/// ?includeObject= of a Table request.
enum class IncludeObject {
    None,      // rows without `object`
    Metadata,  // PartialObjectMetadata: apiVersion of the Table, full metadata (the default)
    Object,    // the whole object
};

/// "" → Metadata; "None", "Metadata", "Object" (case-sensitive). Others are BadRequest
/// `unrecognized includeObject value: "<v>"`.
base::Result<IncludeObject> parse_include_object(std::string_view value);

/// The Table apiVersion an Accept header asks for: "meta.k8s.io/v1" or "meta.k8s.io/v1beta1"
/// when the first acceptable media range (ranges ordered by q, then as written) is
/// application/json (or `*/*`, `application/*`) with `as=Table;g=meta.k8s.io;v=<v>`; nullopt
/// when the first acceptable range is a plain media range (answer with a List) or none asks
/// for a Table. Ranges with `as=` something else or an unknown Table version are skipped.
/// kubectl sends `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;
/// v=v1beta1;g=meta.k8s.io,application/json`.
std::optional<std::string> table_api_version(std::string_view accept);

struct TableOptions {
    std::string api_version = "meta.k8s.io/v1";  // or meta.k8s.io/v1beta1
    /// false: `columnDefinitions` is empty (watch events after the first).
    bool with_columns = true;
    IncludeObject include_object = IncludeObject::Metadata;
    /// metadata.resourceVersion: the list's, or the object's for a single GET / watch event.
    std::string resource_version;
    std::string continue_token;
    std::optional<std::int64_t> remaining_item_count;
    WallClock::time_point now;
};

/// A Table of `objects` (each a full object of `type`, not null):
/// `{"kind":"Table","apiVersion",metadata:{resourceVersion,continue,remainingItemCount}
/// (empty ones left out),"columnDefinitions":[{name,type,format,description,priority}],
/// "rows":[{"cells":[...],"conditions":[...]?,"object":{...}?}]}`. Rows of finished pods carry
/// upstream's Completed row condition.
boost::json::object make_table(const ResourceType& type,
                               std::span<const boost::json::object* const> objects,
                               const TableOptions& options);

/// The `columnDefinitions` JSON of columns (json_path left out).
boost::json::array column_definitions_json(const std::vector<PrinterColumn>& columns);

}  // namespace skiff::api
