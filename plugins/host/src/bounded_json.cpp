// Bounded parsing of what plugins write. See bounded_json.h.
#include "bounded_json.h"

#include <fstream>
#include <vector>

namespace consilium::plugins::detail {
namespace {

struct TooDeep {};

}  // namespace

BoundedJson parse_bounded(std::string_view text, int max_depth) {
    BoundedJson out;
    // nlohmann's parser is iterative; the callback sees the nesting depth of every array or
    // object as it opens, so the document is refused there, before it is built any deeper.
    const nlohmann::json::parser_callback_t limit = [max_depth](int depth, nlohmann::json::parse_event_t event,
                                                                nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start || event == nlohmann::json::parse_event_t::array_start) &&
            depth >= max_depth)
            throw TooDeep{};
        return true;
    };
    try {
        out.value = nlohmann::json::parse(text.begin(), text.end(), limit);
    } catch (const TooDeep&) {
        out.value = nlohmann::json(nlohmann::json::value_t::discarded);
        out.error = "nested deeper than " + std::to_string(max_depth) + " levels";
    } catch (const nlohmann::json::parse_error& e) {
        out.value = nlohmann::json(nlohmann::json::value_t::discarded);
        out.error = "not valid JSON at byte " + std::to_string(e.byte);
    } catch (const nlohmann::json::exception&) {  // e.g. out_of_range 406: a number beyond double (found by fuzz_output)
        out.value = nlohmann::json(nlohmann::json::value_t::discarded);
        out.error = "not valid JSON: a number out of range";
    }
    return out;
}

std::optional<std::string> read_capped(const std::filesystem::path& file, std::uint64_t limit) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string out;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::uint64_t>(in.gcount());
        if (out.size() + n > limit) return std::nullopt;  // more than the cap: stop reading here
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    if (in.bad()) return std::nullopt;
    return out;
}

}  // namespace consilium::plugins::detail
