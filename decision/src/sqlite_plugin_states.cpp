#include "sqlite_store.h"

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kColumns =
    "SELECT plugin_id, enabled, quarantined, failures_in_a_row, reason, changed_by, changed_at, approved_sha256, "
    "approved_by, approved_at FROM plugin_state ";

PluginState row(const Statement& s) {
    PluginState p;
    p.plugin_id = s.text(0);
    p.enabled = s.int64(1) != 0;
    p.quarantined = s.int64(2) != 0;
    p.failures_in_a_row = static_cast<int>(s.int64(3));
    p.reason = s.optional_text(4);
    p.changed_by = s.optional_text(5);
    p.changed_at = s.optional_text(6);
    p.approved_sha256 = s.optional_text(7);
    p.approved_by = s.optional_text(8);
    p.approved_at = s.optional_text(9);
    return p;
}

}  // namespace

std::optional<PluginState> PluginStates::find(std::string_view plugin_id) {
    static const std::string sql = std::string(kColumns) + "WHERE plugin_id = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, plugin_id);
    std::optional<PluginState> out;
    if (s.step()) out = row(s);
    s.reset();
    return out;
}

std::vector<PluginState> PluginStates::list() {
    static const std::string sql = std::string(kColumns) + "ORDER BY plugin_id";
    auto& s = db_.statement(sql.c_str());
    std::vector<PluginState> out;
    while (s.step()) out.push_back(row(s));
    s.reset();
    return out;
}

void PluginStates::put(const PluginState& p) {
    db_.statement(
           "INSERT OR REPLACE INTO plugin_state(plugin_id, enabled, quarantined, failures_in_a_row, reason, changed_by, "
           "changed_at, approved_sha256, approved_by, approved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, p.plugin_id).bind(2, p.enabled ? 1 : 0).bind(3, p.quarantined ? 1 : 0).bind(4, p.failures_in_a_row)
        .bind(5, p.reason).bind(6, p.changed_by).bind(7, p.changed_at)
        .bind(8, p.approved_sha256).bind(9, p.approved_by).bind(10, p.approved_at)
        .run();
}

}  // namespace consilium::decision::sqlite
