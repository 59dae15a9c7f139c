#include "sqlite_store.h"

#include "consilium/decision/clinical_time.h"

namespace consilium::decision::sqlite {
namespace {

User read_user(Statement& s) {
    User u;
    u.id = s.int64(0);
    u.name = s.text(1);
    u.role = role_from_string(s.text_view(2)).value_or(Role::physician);
    u.demo = s.int64(3) != 0;
    u.active = s.int64(4) != 0;
    u.created_at = s.text(5);
    return u;
}

}  // namespace

std::int64_t Users::count() {
    auto& s = db_.statement("SELECT count(*) FROM user");
    s.step();
    auto n = s.int64(0);
    s.reset();
    return n;
}

std::vector<User> Users::list() {
    auto& s = db_.statement("SELECT id, name, role, demo, active, created_at FROM user ORDER BY id");
    std::vector<User> out;
    while (s.step()) out.push_back(read_user(s));
    s.reset();
    return out;
}

std::optional<User> Users::find(std::string_view name) {
    auto& s = db_.statement("SELECT id, name, role, demo, active, created_at FROM user WHERE name = ?1");
    s.bind(1, name);
    std::optional<User> out;
    if (s.step()) out = read_user(s);
    s.reset();
    return out;
}

std::optional<std::string> Users::password_hash(std::string_view name) {
    auto& s = db_.statement("SELECT password FROM user WHERE name = ?1 AND active = 1");
    s.bind(1, name);
    std::optional<std::string> out;
    if (s.step()) out = s.text(0);
    s.reset();
    return out;
}

std::int64_t Users::add(const User& u, const std::string& password_hash) {
    db_.statement("INSERT INTO user(name, role, password, demo, active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)")
        .bind(1, u.name).bind(2, to_string(u.role)).bind(3, password_hash).bind(4, u.demo ? 1 : 0).bind(5, utc_now())
        .run();
    return db_.last_insert_rowid();
}

}  // namespace consilium::decision::sqlite
