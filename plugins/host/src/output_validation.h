#pragma once
// What the worker writes, read back (private to plugins/host).
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace consilium::plugins {

struct BadOutput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The RS-separated texts the native worker wrote, merged into one {"suggestions":[...]};
// throws BadOutput saying what is wrong.
nlohmann::json merge_output(const std::string& raw);

}  // namespace consilium::plugins
