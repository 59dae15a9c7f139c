#pragma once
// Reading QIDO-RS answers (DICOM JSON model, PS3.18 F.2): the first value of an attribute as text
// (a person name with its groups alphabetic=ideographic=phonetic), all values, or a number.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace consilium::pacs::detail {

std::string first_string(const nlohmann::json& dataset, const char* tag);
std::vector<std::string> all_strings(const nlohmann::json& dataset, const char* tag);
int number(const nlohmann::json& dataset, const char* tag);  // -1 when absent or not a number

}  // namespace consilium::pacs::detail
