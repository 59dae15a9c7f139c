#pragma once
// What the worker writes, read back (private to plugins/host).
#include "consilium/plugins/run.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include <stdexcept>
#include <string>

namespace consilium::plugins {

struct BadOutput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The RS-separated texts the native worker wrote, merged into one {"suggestions":[...]};
// throws BadOutput saying what is wrong.
nlohmann::json merge_output(const std::string& raw);

// validate_output (run.h) of an already parsed (depth-bounded) document: nothing of it is
// serialised before it is known to have the schema's shape.
std::string validate_output_value(const nlohmann::json& output, const std::vector<std::string>& allowed_kinds,
                                  const std::optional<VolumeInput>& volume);

}  // namespace consilium::plugins
