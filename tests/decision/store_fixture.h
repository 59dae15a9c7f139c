#pragma once
// A fresh workspace store per test, users of every role, and a digest of everything stored -
// to prove that a refused input changed nothing.
#include "test_support.h"

#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <memory>
#include <string>

namespace consilium::test {

struct StoreFixture {
    StoreFixture();
    ScratchDir dir{"store"};
    std::filesystem::path db_path;
    std::unique_ptr<decision::Store> store;
    decision::Session admin, radiologist, physician, developer;

    // SHA-256 over every row of every table, in a fixed order (schema included).
    std::string content_digest() const;
    // Runs static SQL on the file through a second connection (tampering, inspection).
    void raw_sql(const std::string& sql) const;
    long long raw_count(const std::string& sql) const;
};

}  // namespace consilium::test
