#include "sqlite_site_policy.h"

namespace consilium::decision::sqlite {

std::optional<std::string> SitePolicy::find(std::string_view key) {
    auto& s = db_.statement("SELECT value FROM site_policy WHERE key = ?1").bind(1, key);
    std::optional<std::string> out;
    if (s.step()) out = s.text(0);
    s.reset();
    return out;
}

void SitePolicy::put(std::string_view key, std::string_view value, const std::string& by, const std::string& at) {
    db_.statement("INSERT OR REPLACE INTO site_policy(key, value, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, key).bind(2, value).bind(3, by).bind(4, at)
        .run();
}

}  // namespace consilium::decision::sqlite
