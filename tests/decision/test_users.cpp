#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/password.h"

#include <boost/test/unit_test.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

BOOST_AUTO_TEST_SUITE(users_and_roles)

BOOST_AUTO_TEST_CASE(passwords_are_salted_slow_hashes) {
    auto a = hash_password("secret");
    auto b = hash_password("secret");
    BOOST_TEST(a != b);  // per-user salt
    BOOST_TEST(a.rfind("pbkdf2-sha256$", 0) == 0u);
    BOOST_TEST(std::stoi(a.substr(14)) >= 200000);
    BOOST_TEST(verify_password("secret", a));
    BOOST_TEST(!verify_password("Secret", a));
    BOOST_TEST(!verify_password("secret", "pbkdf2-sha256$1$bad$bad"));
    BOOST_TEST(!verify_password("secret", ""));
    BOOST_TEST(verify_password("x", hash_password("x", 1000)));  // stored iterations are honoured
}

BOOST_AUTO_TEST_CASE(the_password_is_never_stored) {
    StoreFixture f;
    BOOST_TEST(f.raw_count("SELECT count(*) FROM user WHERE password LIKE '%physician%'") == 0);
}

BOOST_AUTO_TEST_CASE(first_user_needs_no_login_later_ones_an_admin) {
    consilium::test::ScratchDir dir;
    auto store = open_sqlite_store(dir / "c.db", {.create = true});
    auto first = add_user(*store, nullptr, "boss", Role::admin, "pw");
    BOOST_TEST(first.name == "boss");
    BOOST_CHECK_THROW(add_user(*store, nullptr, "second", Role::physician, "pw"), NotPermitted);
    auto boss = login(*store, "boss", "pw");
    add_user(*store, &boss, "doc", Role::physician, "pw2");
    auto doc = login(*store, "doc", "pw2");
    BOOST_CHECK_THROW(add_user(*store, &doc, "third", Role::developer, "pw"), NotPermitted);
    BOOST_CHECK_THROW(add_user(*store, &boss, "doc", Role::developer, "pw"), InputError);   // taken
    BOOST_CHECK_THROW(add_user(*store, &boss, "bad name", Role::developer, "pw"), InputError);
    BOOST_CHECK_THROW(add_user(*store, &boss, "nopw", Role::developer, ""), InputError);
    BOOST_TEST(store->users().count() == 2);
}

BOOST_AUTO_TEST_CASE(failed_logins_are_refused_and_audited) {
    StoreFixture f;
    BOOST_CHECK_THROW(login(*f.store, "physician", "wrong"), NotPermitted);
    BOOST_CHECK_THROW(login(*f.store, "nobody", "x"), NotPermitted);
    auto failed = f.store->audit().entries({.action = "login.failed"});
    BOOST_REQUIRE(failed.size() == 2u);
    BOOST_TEST(failed[0].record.object_id == "physician");
    BOOST_TEST(failed[1].record.details.find("unknown user") != std::string::npos);
    BOOST_TEST(f.store->audit().verify().intact);
}

BOOST_AUTO_TEST_CASE(role_table) {
    for (Role r : {Role::radiologist, Role::physician})
        BOOST_TEST(allowed(r, Permission::review_suggestions));
    for (Role r : {Role::developer, Role::admin}) BOOST_TEST(!allowed(r, Permission::review_suggestions));
    for (Role r : {Role::radiologist, Role::physician, Role::developer}) {
        BOOST_TEST(!allowed(r, Permission::manage_users));
        BOOST_TEST(!allowed(r, Permission::read_audit));
    }
    BOOST_TEST(allowed(Role::admin, Permission::manage_users));
    BOOST_TEST(allowed(Role::developer, Permission::manage_plugins));
    BOOST_TEST(!allowed(Role::physician, Permission::manage_plugins));
    StoreFixture f;
    BOOST_CHECK_THROW(require(f.developer, Permission::review_suggestions), NotPermitted);
    BOOST_CHECK_NO_THROW(require(f.radiologist, Permission::review_suggestions));
}

BOOST_AUTO_TEST_SUITE_END()
