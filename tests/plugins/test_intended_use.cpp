// Intended use as data: model.population read from manifests (and what a bad one says), ages on a
// given day (partial birth dates included), the rules with the patient's value in the reason, and
// which recorded codes fall under an excluded condition (pregnancy: SNOMED CT and ICD-10).
#include "manifest_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/plugins/intended_use.h"
#include "consilium/plugins/manifest.h"

#include <boost/test/unit_test.hpp>

namespace {

using namespace consilium::test::plugintest;
using consilium::decision::Coding;
using consilium::decision::InputError;
namespace cp = consilium::plugins;

constexpr const char* kSnomed = "http://snomed.info/sct";
constexpr const char* kIcd10 = "http://hl7.org/fhir/sid/icd-10";
constexpr const char* kToday = "2026-12-06";

struct Folder {
    consilium::test::ScratchDir dir{"population"};
    cp::Manifest parse(const json& m) const { return cp::parse_manifest(write_plugin(dir.path(), "p", m)); }
    std::string error(const json& m) const {
        try {
            parse(m);
        } catch (const InputError& e) {
            return e.what();
        }
        BOOST_ERROR("no error for " << m.dump());
        return {};
    }
};

json with_population(const json& population) {
    auto m = valid_native();
    m["model"]["population"] = population;
    return m;
}

cp::Population adults_not_pregnant() {
    cp::Population p;
    p.age_min_years = 16;
    p.exclude_conditions = {{kSnomed, "77386006", "Pregnancy"}};
    return p;
}

cp::PatientFacts born(const std::string& date, const std::string& sex = "female") {
    cp::PatientFacts f;
    if (!date.empty()) f.birth_date = date;
    if (!sex.empty()) f.sex = sex;
    return f;
}

#define CHECK_HAS(text, part) BOOST_CHECK_MESSAGE((text).find(part) != std::string::npos, "'" << (part) << "' not in: " << (text))

}  // namespace

BOOST_AUTO_TEST_SUITE(intended_use)

BOOST_FIXTURE_TEST_CASE(population_is_read_from_the_manifest, Folder) {
    auto m = parse(with_population(json::parse(R"({"age_min_years": 16, "age_max_years": null, "sexes": ["female", "male"],
        "exclude_conditions": [{"system": "http://snomed.info/sct", "code": "77386006", "display": "Pregnancy"}]})")));
    BOOST_REQUIRE(m.model.population);
    const auto& p = *m.model.population;
    BOOST_TEST(p.age_min_years.value_or(-1) == 16);
    BOOST_TEST(!p.age_max_years);
    BOOST_TEST((p.sexes == std::vector<std::string>{"female", "male"}));
    BOOST_REQUIRE(p.exclude_conditions.size() == 1u);
    BOOST_TEST(p.exclude_conditions[0].code == "77386006");
    BOOST_TEST(cp::describe_population(m.model.population) ==
               "ages 16 and over; female or male; excludes Pregnancy (SNOMED CT 77386006)");
}

BOOST_FIXTURE_TEST_CASE(an_old_manifest_keeps_working_with_no_restriction, Folder) {
    auto m = parse(valid_native());
    BOOST_TEST(!m.model.population);
    BOOST_TEST(cp::describe_population(m.model.population) == "not stated (no restriction is enforced)");
    BOOST_TEST(cp::outside_intended_use(cp::Population{}, born(""), kToday).empty());
}

BOOST_FIXTURE_TEST_CASE(a_bad_population_names_the_key, Folder) {
    CHECK_HAS(error(with_population(json{{"age_min_years", "16"}})), "key 'model.population.age_min_years' must be an integer");
    CHECK_HAS(error(with_population(json{{"age_min_years", 18}, {"age_max_years", 16}})),
              "key 'model.population.age_max_years' is 16, below age_min_years 18");
    CHECK_HAS(error(with_population(json{{"sexes", {"woman"}}})), "holds 'woman'; the FHIR genders are male, female, other, unknown");
    CHECK_HAS(error(with_population(json{{"sexes", json::array()}})), "is empty: it would admit no patient");
    CHECK_HAS(error(with_population(json{{"exclude_conditions", {{{"code", "77386006"}}}}})),
              "key 'model.population.exclude_conditions[0].system' is missing");
    CHECK_HAS(error(with_population(json::array())), "key 'model.population' must be an object");
}

BOOST_AUTO_TEST_CASE(ages_on_a_day_and_from_partial_birth_dates) {
    auto age = [](const std::string& b) { return cp::age_on(b, kToday); };
    BOOST_TEST(age("2010-12-06")->youngest == 16);  // the 16th birthday is today
    BOOST_TEST(age("2010-12-07")->oldest == 15);    // tomorrow
    BOOST_TEST(age("2010-12")->youngest == 15);     // some day of December 2010
    BOOST_TEST(age("2010-12")->oldest == 16);
    BOOST_TEST(age("2010")->youngest == 15);
    BOOST_TEST(age("2010")->oldest == 16);
    BOOST_TEST(age("2009")->youngest == 16);
    BOOST_TEST(!age("2027-01-01"));  // after today
    BOOST_TEST(!age("06/12/2010"));
    BOOST_TEST(!age(""));
}

BOOST_AUTO_TEST_CASE(a_child_is_outside_an_adult_model_and_the_reason_names_the_age) {
    const auto p = adults_not_pregnant();
    BOOST_TEST(cp::outside_intended_use(p, born("2017-05-13"), kToday) ==
               "outside intended use: age 9 years is below the minimum 16");
    BOOST_TEST(cp::outside_intended_use(p, born("2010-12-07"), kToday) ==
               "outside intended use: age 15 years is below the minimum 16");
    BOOST_TEST(cp::outside_intended_use(p, born("2010-12-06"), kToday).empty());  // 16 today
    CHECK_HAS(cp::outside_intended_use(p, born("2010"), kToday), "age uncertain (15 or 16 years from the partial birth date 2010)");
    cp::Population old;
    old.age_max_years = 90;
    BOOST_TEST(cp::outside_intended_use(old, born("1930-01-01"), kToday) ==
               "outside intended use: age 96 years is above the maximum 90");
}

BOOST_AUTO_TEST_CASE(an_unknown_age_or_sex_is_outside_a_restriction_on_it) {
    BOOST_TEST(cp::outside_intended_use(adults_not_pregnant(), born(""), kToday) ==
               "outside intended use: age unknown (no birth date recorded); the model is for ages 16 and over");
    cp::Population men;
    men.sexes = {"male"};
    BOOST_TEST(cp::outside_intended_use(men, born("1960-01-01", ""), kToday) ==
               "outside intended use: sex unknown (not recorded) is not one the model is for (male)");
    BOOST_TEST(cp::outside_intended_use(men, born("1960-01-01", "female"), kToday) ==
               "outside intended use: sex female is not one the model is for (male)");
    BOOST_TEST(cp::outside_intended_use(men, born("1960-01-01", "male"), kToday).empty());
    cp::Population unrestricted_age;  // a sex restriction alone says nothing about a missing birth date
    unrestricted_age.sexes = {"female", "unknown"};
    BOOST_TEST(cp::outside_intended_use(unrestricted_age, born("", ""), kToday).empty());
}

BOOST_AUTO_TEST_CASE(pregnancy_is_recognised_in_snomed_ct_and_icd_10) {
    const cp::ExcludedCondition pregnancy{kSnomed, "77386006", "Pregnancy"};
    for (const char* code : {"77386006", "72892002", "47200007", "16356006", "237240001", "65727000", "34801009"})
        BOOST_TEST(cp::falls_under(pregnancy, Coding{kSnomed, code, ""}), code);
    for (const char* code : {"O80", "O24.4", "O99.89", "O9A.1", "O00", "Z33.1"})
        BOOST_TEST(cp::falls_under(pregnancy, Coding{kIcd10, code, ""}), code);
    BOOST_TEST(cp::falls_under(pregnancy, Coding{"http://hl7.org/fhir/sid/icd-10-cm", "O09.90", ""}));
    for (const char* code : {"38341003", "49436004"}) BOOST_TEST(!cp::falls_under(pregnancy, Coding{kSnomed, code, ""}), code);
    for (const char* code : {"P00.0", "N80", "Z34"}) BOOST_TEST(!cp::falls_under(pregnancy, Coding{kIcd10, code, ""}), code);
    BOOST_TEST(!cp::falls_under(pregnancy, Coding{"http://loinc.org", "77386006", ""}));

    const cp::ExcludedCondition diabetes_in_pregnancy{kIcd10, "O24", ""};
    BOOST_TEST(cp::falls_under(diabetes_in_pregnancy, Coding{kIcd10, "O24.4", ""}));
    BOOST_TEST(!cp::falls_under(diabetes_in_pregnancy, Coding{kIcd10, "O25", ""}));
    const cp::ExcludedCondition range{kIcd10, "C00-D49", "Neoplasms"};
    BOOST_TEST(cp::falls_under(range, Coding{kIcd10, "C34.1", ""}));
    BOOST_TEST(!cp::falls_under(range, Coding{kIcd10, "E11", ""}));
}

BOOST_AUTO_TEST_CASE(an_excluded_condition_is_named_with_its_code_and_date) {
    auto f = born("1990-03-01");
    f.conditions.push_back({Coding{kSnomed, "72892002", "Normal pregnancy"}, std::string("2026-09-01")});
    BOOST_TEST(cp::outside_intended_use(adults_not_pregnant(), f, kToday) ==
               "outside intended use: the record holds Normal pregnancy (SNOMED CT 72892002, since 2026-09-01), which the "
               "model excludes: Pregnancy (SNOMED CT 77386006)");
}

BOOST_AUTO_TEST_SUITE_END()
