#include "qido_json.h"

namespace consilium::pacs::detail {

using nlohmann::json;

// DICOM JSON (PS3.18 F.2) accessors.
std::string first_string(const json& dataset, const char* tag) {
    auto it = dataset.find(tag);
    if (it == dataset.end() || !it->is_object()) return "";
    auto v = it->find("Value");
    if (v == it->end() || !v->is_array() || v->empty()) return "";
    const auto& x = (*v)[0];
    if (x.is_string()) return x.get<std::string>();
    if (x.is_number_integer()) return std::to_string(x.get<long long>());
    if (x.is_number()) return std::to_string(x.get<double>());
    if (x.is_object()) {  // PN: its groups back in DICOM form, alphabetic=ideographic=phonetic
        std::string groups[3];
        const char* names[3] = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < 3; ++g)
            if (auto a = x.find(names[g]); a != x.end() && a->is_string()) groups[g] = a->get<std::string>();
        if (!groups[2].empty()) return groups[0] + "=" + groups[1] + "=" + groups[2];
        if (!groups[1].empty()) return groups[0] + "=" + groups[1];
        return groups[0];
    }
    return "";
}

std::vector<std::string> all_strings(const json& dataset, const char* tag) {
    std::vector<std::string> out;
    auto it = dataset.find(tag);
    if (it == dataset.end() || !it->is_object()) return out;
    auto v = it->find("Value");
    if (v == it->end() || !v->is_array()) return out;
    for (const auto& x : *v)
        if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
}

int number(const json& dataset, const char* tag) {
    auto s = first_string(dataset, tag);
    if (s.empty()) return -1;
    try {
        return std::stoi(s);
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace consilium::pacs::detail
