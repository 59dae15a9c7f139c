// The site policy: documented defaults, admins only, audited with old and new value, values
// checked; a refused change changes nothing.
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/site_policy.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

BOOST_FIXTURE_TEST_SUITE(site_policy, StoreFixture)

BOOST_AUTO_TEST_CASE(a_new_workspace_has_the_documented_defaults) {
    const auto p = read_site_policy(*store);
    BOOST_TEST(p.timeout_s == 600);
    BOOST_TEST(p.cpu_s == 600);
    BOOST_TEST(p.memory_mb == 4096);
    BOOST_TEST(p.processes == 64);
    BOOST_TEST(p.file_size_mb == 1024);
    BOOST_TEST(p.output_mb == 256);
    BOOST_TEST(p.sandbox);
    for (const auto& k : site_policy_keys(*store)) BOOST_TEST(k.is_default, k.key);
}

BOOST_AUTO_TEST_CASE(an_admin_sets_a_key_audited_with_old_and_new_value) {
    set_site_policy(*store, admin, "plugin.timeout_s", "300");
    set_site_policy(*store, admin, "plugin.sandbox", "off");
    const auto p = read_site_policy(*store);
    BOOST_TEST(p.timeout_s == 300);
    BOOST_TEST(!p.sandbox);
    const auto entries = store->audit().entries({.action = "policy.set"});
    BOOST_REQUIRE(entries.size() == 2u);
    const auto d = nlohmann::json::parse(entries.front().record.details);
    BOOST_TEST(d["key"] == "plugin.timeout_s");
    BOOST_TEST(d["old"] == "600");
    BOOST_TEST(d["new"] == "300");
    BOOST_TEST(entries.front().record.user == "admin");
}

BOOST_AUTO_TEST_CASE(only_admins_set_it_and_bad_values_are_refused_changing_nothing) {
    const auto before = content_digest();
    for (const auto* s : {&radiologist, &physician, &developer})
        BOOST_CHECK_THROW(set_site_policy(*store, *s, "plugin.timeout_s", "60"), NotPermitted);
    BOOST_CHECK_THROW(set_site_policy(*store, admin, "plugin.timeout", "60"), InputError);
    for (const char* bad : {"0", "-1", "10000001", "60s", "", "1e3"})
        BOOST_CHECK_THROW(set_site_policy(*store, admin, "plugin.memory_mb", bad), InputError);
    BOOST_CHECK_THROW(set_site_policy(*store, admin, "plugin.sandbox", "no"), InputError);
    BOOST_TEST(content_digest() == before);
}

BOOST_AUTO_TEST_SUITE_END()
