#pragma once
// Writing JSON without ever throwing on text that is not UTF-8. nlohmann::json's dump() throws
// type_error 316 on an invalid byte, which once made `--json patients` fail for a whole workspace
// because of one badly decoded name; every JSON writer in Consilium goes through json_text().
#include <nlohmann/json.hpp>

#include <string>

namespace consilium::text {

// The document as JSON text; ill-formed UTF-8 in any string is written as U+FFFD.
// indent < 0: compact, one line.
inline std::string json_text(const nlohmann::json& document, int indent = -1) {
    return document.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace consilium::text
