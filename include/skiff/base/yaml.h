// YAML to JSON the way kubectl decodes manifests: YAML 1.1 scalars, quoted strings kept strings.
#pragma once

#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "skiff/base/status.h"

namespace skiff::base {

/// Converts every document of a YAML stream (separated by `---`) to JSON, skipping empty
/// documents. Plain scalars resolve as sigs.k8s.io/yaml (go-yaml v2) resolves them: YAML 1.1
/// booleans (yes/no/on/off/y/n), ~ and null, integers with 0x/0o/0b/leading-0 octal and
/// underscores, floats; timestamps stay strings. Quoted and block scalars are always strings.
/// Anchors, aliases and `<<` merge keys are expanded. Non-string keys become their text.
/// Errors are BadRequest with "yaml: line N: …".
Result<std::vector<boost::json::value>> yaml_documents_to_json(std::string_view text);

/// The single document of `text` (null when empty); more than one document is an error.
Result<boost::json::value> yaml_to_json(std::string_view text);

}  // namespace skiff::base
