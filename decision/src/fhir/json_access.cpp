#include "json_access.h"

#include "consilium/decision/clinical_time.h"

namespace consilium::decision::fhir {

std::string Place::describe() const {
    std::string out = file;
    if (!locus.empty()) out += ": " + locus;
    if (!resource.empty()) out += " (" + resource + ")";
    return out;
}

void Place::fail(const std::string& field, const std::string& what) const {
    throw InputError(describe(), field.empty() ? what : field + ": " + what);
}

const char* type_name(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::object: return "an object";
        case Json::value_t::array: return "an array";
        case Json::value_t::string: return "a string";
        case Json::value_t::boolean: return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float: return "a number";
        default: return "an unknown value";
    }
}

namespace {

const Json* member(const Json& parent, const char* key) {
    if (!parent.is_object()) return nullptr;
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return nullptr;
    return &*it;
}

std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

}  // namespace

const Json* object(const Json& parent, const char* key, const Place& at, const std::string& path) {
    const Json* j = member(parent, key);
    if (j && !j->is_object()) at.fail(join(path, key), std::string("expected an object, found ") + type_name(*j));
    return j;
}

const Json* array(const Json& parent, const char* key, const Place& at, const std::string& path) {
    const Json* j = member(parent, key);
    if (j && !j->is_array()) at.fail(join(path, key), std::string("expected an array, found ") + type_name(*j));
    return j;
}

std::optional<std::string> string(const Json& parent, const char* key, const Place& at, const std::string& path) {
    const Json* j = member(parent, key);
    if (!j) return std::nullopt;
    if (!j->is_string()) at.fail(join(path, key), std::string("expected a string, found ") + type_name(*j));
    return j->get<std::string>();
}

std::optional<double> number(const Json& parent, const char* key, const Place& at, const std::string& path) {
    const Json* j = member(parent, key);
    if (!j) return std::nullopt;
    if (!j->is_number()) at.fail(join(path, key), std::string("expected a number, found ") + type_name(*j));
    return j->get<double>();
}

std::optional<bool> boolean(const Json& parent, const char* key, const Place& at, const std::string& path) {
    const Json* j = member(parent, key);
    if (!j) return std::nullopt;
    if (!j->is_boolean()) at.fail(join(path, key), std::string("expected true or false, found ") + type_name(*j));
    return j->get<bool>();
}

std::optional<std::string> time(const Json& parent, const char* key, const Place& at, const std::string& path) {
    auto text = string(parent, key, at, path);
    if (!text) return std::nullopt;
    auto normal = normalize_fhir_time(*text);
    if (!normal) at.fail(join(path, key), "'" + text->substr(0, 40) + "' is not a FHIR date or dateTime");
    return normal;
}

}  // namespace consilium::decision::fhir
