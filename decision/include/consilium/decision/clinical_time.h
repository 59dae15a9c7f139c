#pragma once
// Times as the store keeps them: ISO-8601 text that sorts in time order. A time of day is
// converted to UTC ("...Z"); a date or partial date ("2020", "2020-03", "2020-03-01") stays as
// given, since it has no time zone to convert.
#include <optional>
#include <string>
#include <string_view>

namespace consilium::decision {

// Now, UTC, millisecond precision: 2026-11-27T01:02:03.456Z
std::string utc_now();

// A FHIR date/dateTime/instant in store form; nullopt if it is not one.
std::optional<std::string> normalize_fhir_time(std::string_view text);

// True if `text` is a FHIR `date` (YYYY, YYYY-MM or YYYY-MM-DD) with a valid month/day.
bool is_fhir_date(std::string_view text);

// A command-line bound (YYYY-MM-DD or a full dateTime) in store form; nullopt if not valid.
std::optional<std::string> normalize_query_time(std::string_view text);

}  // namespace consilium::decision
