// CustomResourceDefinitions: the types a CRD serves, its validation, and its status.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

#include "skiff/api/registry.h"
#include "skiff/api/validation.h"

namespace skiff::apiserver {

/// What upstream's CRD validation checks that we need to serve it: metadata.name is
/// "<plural>.<group>", group, names (plural, singular, kind; lower-case DNS labels where
/// upstream wants them), scope Namespaced or Cluster, at least one version, exactly one storage
/// version, unique version names.
api::ErrorList validate_crd(const boost::json::object& crd);

/// One ResourceType per served version (custom = true): scope, names, short names,
/// categories, the status and scale subresources it declares, additionalPrinterColumns.
std::vector<api::ResourceType> crd_types(const boost::json::object& crd);

/// The status a CRD gets once its names are accepted and it is served: conditions
/// NamesAccepted and Established True, acceptedNames, storedVersions.
boost::json::object crd_status(const boost::json::object& crd, std::string_view now);

}  // namespace skiff::apiserver
