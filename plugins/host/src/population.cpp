// model.population of a manifest: who the model was made for (ages, sexes, excluding conditions),
// read with every error naming the file and the key, e.g. "model.population.sexes".
#include "manifest_reader.h"

#include <algorithm>
#include <array>

namespace consilium::plugins::detail {
namespace {

constexpr std::array<std::string_view, 4> kSexes = {"male", "female", "other", "unknown"};
constexpr int kOldestAge = 150;

}  // namespace

std::optional<Population> read_population(const KeyReader& model) {
    if (!model.has("population")) return std::nullopt;
    const auto pop = model.nested("population", false);
    Population p;
    if (pop.has("age_min_years")) p.age_min_years = pop.optional_int("age_min_years", 0, 0, kOldestAge);
    if (pop.has("age_max_years")) p.age_max_years = pop.optional_int("age_max_years", 0, 0, kOldestAge);
    if (p.age_min_years && p.age_max_years && *p.age_max_years < *p.age_min_years)
        pop.fail("age_max_years", "is " + std::to_string(*p.age_max_years) + ", below age_min_years " +
                                      std::to_string(*p.age_min_years));
    p.sexes = pop.string_list("sexes", false);
    for (const auto& s : p.sexes)
        if (std::find(kSexes.begin(), kSexes.end(), s) == kSexes.end())
            pop.fail("sexes", "holds '" + s + "'; the FHIR genders are male, female, other, unknown");
    if (pop.has("sexes") && p.sexes.empty()) pop.fail("sexes", "is empty: it would admit no patient (leave it out for any)");
    if (const json* list = pop.find("exclude_conditions")) {
        if (!list->is_array()) pop.fail("exclude_conditions", "must be an array of {system, code, display}, not " +
                                                                  std::string(list->type_name()));
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            if (!item.is_object())
                pop.fail("exclude_conditions", "[" + std::to_string(i) + "] must be an object {system, code, display}");
            const auto c = pop.element("exclude_conditions", i, item);
            p.exclude_conditions.push_back({c.required_string("system"), c.required_string("code"), c.optional_string("display")});
        }
    }
    return p;
}

}  // namespace consilium::plugins::detail
