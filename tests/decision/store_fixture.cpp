#include "store_fixture.h"

#include "consilium/decision/crypto.h"
#include "consilium/decision/password.h"

#include <sqlite3.h>

#include <stdexcept>

namespace consilium::test {

using namespace consilium::decision;

namespace {

struct Connection {
    sqlite3* db = nullptr;
    explicit Connection(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + file.string());
        sqlite3_busy_timeout(db, 5000);
    }
    ~Connection() { sqlite3_close(db); }
};

}  // namespace

namespace {

// One workspace with a user of every role (password = name), made once per test run and copied
// for each test: the password KDF is slow on purpose, and most tests are not about it.
const std::filesystem::path& template_database() {
    static ScratchDir folder("template");
    static std::filesystem::path file = [] {
        auto path = folder / "consilium.db";
        auto store = open_sqlite_store(path, {.create = true});
        add_user(*store, nullptr, "admin", Role::admin, "admin");
        auto admin = login(*store, "admin", "admin");
        for (auto [name, role] : {std::pair{"radiologist", Role::radiologist}, {"physician", Role::physician},
                                  {"developer", Role::developer}})
            add_user(*store, &admin, name, role, name);
        for (const char* name : {"radiologist", "physician", "developer"}) login(*store, name, name);
        return path;
    }();
    return file;
}

}  // namespace

StoreFixture::StoreFixture() : db_path(dir / "consilium.db") {
    std::filesystem::copy_file(template_database(), db_path);
    std::filesystem::copy_file(audit_head_sidecar(template_database()), audit_head_sidecar(db_path));
    store = open_sqlite_store(db_path);
    // Sessions as login() returns them (login itself is tested in test_users.cpp).
    admin = Session{*store->users().find("admin")};
    radiologist = Session{*store->users().find("radiologist")};
    physician = Session{*store->users().find("physician")};
    developer = Session{*store->users().find("developer")};
}

std::string StoreFixture::content_digest() const {
    Connection c(db_path);
    Sha256 h;
    sqlite3_stmt* tables = nullptr;
    sqlite3_prepare_v2(c.db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &tables, nullptr);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        std::string name = reinterpret_cast<const char*>(sqlite3_column_text(tables, 0));
        h.update(name);
        h.update(reinterpret_cast<const char*>(sqlite3_column_text(tables, 1)));
        sqlite3_stmt* rows = nullptr;
        std::string sql = "SELECT * FROM \"" + name + "\" ORDER BY rowid";
        if (sqlite3_prepare_v2(c.db, sql.c_str(), -1, &rows, nullptr) != SQLITE_OK) {
            sql = "SELECT * FROM \"" + name + "\"";
            sqlite3_prepare_v2(c.db, sql.c_str(), -1, &rows, nullptr);
        }
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(rows); ++i) {
                const void* blob = sqlite3_column_blob(rows, i);
                int n = sqlite3_column_bytes(rows, i);
                h.update(std::to_string(sqlite3_column_type(rows, i)) + ":" + std::to_string(n) + ":");
                if (blob) h.update(std::string_view(static_cast<const char*>(blob), static_cast<std::size_t>(n)));
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    return h.hex();
}

void StoreFixture::raw_sql(const std::string& sql) const {
    Connection c(db_path);
    char* error = nullptr;
    if (sqlite3_exec(c.db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error(message);
    }
}

long long StoreFixture::raw_count(const std::string& sql) const {
    Connection c(db_path);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(c.db, sql.c_str(), -1, &s, nullptr);
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

}  // namespace consilium::test
