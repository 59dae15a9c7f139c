#include "sqlite_store.h"

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kColumns =
    "SELECT id, name, protocol, url, called_aet, host, port, calling_aet, username, password, bearer_token, ca_file, "
    "verify_tls, added_by, added_at FROM pacs_node ";

PacsNode row(const Statement& s) {
    PacsNode n;
    n.id = s.int64(0);
    n.name = s.text(1);
    n.protocol = s.text(2);
    n.url = s.text(3);
    n.called_aet = s.text(4);
    n.host = s.text(5);
    n.port = static_cast<int>(s.int64(6));
    n.calling_aet = s.text(7);
    n.username = s.text(8);
    n.password = s.text(9);
    n.bearer_token = s.text(10);
    n.ca_file = s.text(11);
    n.verify_tls = s.int64(12) != 0;
    n.added_by = s.text(13);
    n.added_at = s.text(14);
    return n;
}

}  // namespace

std::optional<PacsNode> PacsNodes::find(std::string_view name) {
    static const std::string sql = std::string(kColumns) + "WHERE name = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, name);
    std::optional<PacsNode> out;
    if (s.step()) out = row(s);
    s.reset();
    return out;
}

std::vector<PacsNode> PacsNodes::list() {
    static const std::string sql = std::string(kColumns) + "ORDER BY name";
    auto& s = db_.statement(sql.c_str());
    std::vector<PacsNode> out;
    while (s.step()) out.push_back(row(s));
    s.reset();
    return out;
}

std::int64_t PacsNodes::insert(const PacsNode& n) {
    db_.statement(
           "INSERT INTO pacs_node(name, protocol, url, called_aet, host, port, calling_aet, username, password, "
           "bearer_token, ca_file, verify_tls, added_by, added_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
        .bind(1, n.name).bind(2, n.protocol).bind(3, n.url).bind(4, n.called_aet).bind(5, n.host)
        .bind(6, static_cast<std::int64_t>(n.port)).bind(7, n.calling_aet).bind(8, n.username).bind(9, n.password)
        .bind(10, n.bearer_token).bind(11, n.ca_file).bind(12, static_cast<std::int64_t>(n.verify_tls ? 1 : 0))
        .bind(13, n.added_by).bind(14, n.added_at)
        .run();
    return db_.last_insert_rowid();
}

}  // namespace consilium::decision::sqlite
