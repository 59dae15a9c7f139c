#include "sqlite_store.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"

#include <sqlite3.h>

#include <fstream>
#include <future>
#include <string>

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kSelect =
    "SELECT seq, time, user_name, role, action, object_type, object_id, details, prev_hash, hash FROM audit_entry ";

AuditEntry read_entry(const Statement& s) {
    AuditEntry e;
    e.seq = s.int64(0);
    e.time = s.text(1);
    e.record.user = s.text(2);
    e.record.role = s.text(3);
    e.record.action = s.text(4);
    e.record.object_type = s.text(5);
    e.record.object_id = s.text(6);
    e.record.details = s.text(7);
    e.prev_hash = s.text(8);
    e.hash = s.text(9);
    return e;
}

// Reads the mirrored head ("seq hash"); nullopt when there is none.
std::optional<std::pair<std::int64_t, std::string>> read_sidecar(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::int64_t seq = 0;
    std::string hash;
    if (!(in >> seq >> hash)) return std::nullopt;
    return std::make_pair(seq, hash);
}

}  // namespace

AuditEntry Audit::append(const AuditRecord& record) {
    auto& head = db_.statement("SELECT seq, hash FROM audit_head WHERE id = 1");
    AuditEntry e;
    e.record = record;
    if (head.step()) {
        e.seq = head.int64(0) + 1;
        e.prev_hash = head.text(1);
    } else {
        e.seq = 1;
        e.prev_hash = kGenesisHash;
    }
    head.reset();
    e.time = utc_now();
    e.hash = audit_hash(e.prev_hash, e);
    db_.statement(
           "INSERT INTO audit_entry(seq, time, user_name, role, action, object_type, object_id, details, prev_hash, hash) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, e.seq).bind(2, e.time).bind(3, e.record.user).bind(4, e.record.role).bind(5, e.record.action)
        .bind(6, e.record.object_type).bind(7, e.record.object_id).bind(8, e.record.details).bind(9, e.prev_hash)
        .bind(10, e.hash)
        .run();
    db_.statement("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1").bind(1, e.seq).bind(2, e.hash).run();
    pending_head = std::make_pair(e.seq, e.hash);
    return e;
}

std::vector<AuditEntry> Audit::entries(const AuditFilter& f) {
    static const std::string sql = std::string(kSelect) +
        "WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR user_name = ?2) "
        "AND (?3 IS NULL OR action = ?3 OR (substr(?3, -1) = '.' AND substr(action, 1, length(?3)) = ?3)) "
        "AND (?4 IS NULL OR time <= ?4) AND (?5 IS NULL OR substr(action, 1, length(?5)) = ?5) "
        "AND (?6 IS NULL OR instr(lower(object_type || ' ' || object_id || ' ' || details), lower(?6)) > 0) ORDER BY seq";
    // A date-only upper bound includes that whole day: "~" sorts after the "T..." of any time on it.
    std::optional<std::string> until = f.until;
    if (until && until->size() <= 10) *until += "~";
    auto& s = db_.statement(sql.c_str());
    s.bind(1, f.since).bind(2, f.user).bind(3, f.action).bind(4, until).bind(5, f.action_prefix).bind(6, f.text);
    std::vector<AuditEntry> out;
    while (s.step()) out.push_back(read_entry(s));
    s.reset();
    return out;
}

void Audit::for_each(const std::function<void(const AuditEntry&)>& visit) {
    static const std::string sql = std::string(kSelect) + "ORDER BY seq";
    auto& s = db_.statement(sql.c_str());
    while (s.step()) visit(read_entry(s));
    s.reset();
}

namespace {

// What one stretch of the chain [first, last] looks like when checked on its own.
struct RangeCheck {
    std::int64_t entries = 0;
    std::int64_t broken_seq = 0;  // 0: intact
    std::string problem;
    std::string first_prev;       // the stored prev_hash of the first entry (joins it to the stretch before)
    std::string last_hash;
};

// Hashes straight from SQLite's column memory into one reused buffer: verification runs over
// millions of rows, and copying each field would dominate.
RangeCheck check_range(Database& db, std::int64_t first, std::int64_t last, const std::string* prev_known) {
    RangeCheck r;
    auto& s = db.statement(
        "SELECT seq, time, user_name, role, action, object_type, object_id, details, prev_hash, hash FROM audit_entry "
        "WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    s.bind(1, first).bind(2, last);
    std::string prev = prev_known ? *prev_known : std::string();
    std::int64_t expected = first;
    std::string canonical;
    Sha256 h;
    char actual[64];
    auto broken = [&r](std::int64_t seq, std::string problem) {
        r.broken_seq = seq;
        r.problem = std::move(problem);
    };
    while (r.broken_seq == 0 && s.step()) {
        const std::int64_t seq = s.int64(0);
        auto stored_prev = s.text_view(8);
        auto stored_hash = s.text_view(9);
        if (seq == first) r.first_prev.assign(stored_prev);
        if (seq == first && !prev_known) prev.assign(stored_prev);
        if (seq != expected) {
            broken(expected, "entry " + std::to_string(expected) + " is missing (the log jumps from " +
                                 std::to_string(expected - 1) + " to " + std::to_string(seq) + ")");
            break;
        }
        if (stored_prev != prev) {
            broken(seq, "entry " + std::to_string(seq) +
                            " does not follow the entry before it (an entry was removed, inserted or reordered)");
            break;
        }
        canonical.clear();
        append_audit_canonical(canonical, {seq, s.text_view(1), s.text_view(2), s.text_view(3), s.text_view(4),
                                           s.text_view(5), s.text_view(6), s.text_view(7)});
        h.reset();
        h.update(prev);
        h.update(canonical);
        h.hex_into(actual);
        if (std::string_view(actual, 64) != stored_hash) {
            broken(seq, "entry " + std::to_string(seq) + " was altered after it was written (hash mismatch)");
            break;
        }
        prev.assign(actual, 64);
        ++r.entries;
        ++expected;
    }
    s.reset();
    if (r.broken_seq == 0 && expected != last + 1)
        broken(expected, "entry " + std::to_string(expected) + " is missing (the log jumps from " +
                             std::to_string(expected - 1) + " to " + std::to_string(last) + ")");
    r.last_hash = prev;
    return r;
}

// A read transaction for the duration of a verification, so the entries and the head are read
// from one snapshot even while another process appends.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Database& db) : db_(db), own_(sqlite3_get_autocommit(db.handle()) != 0) {
        if (own_) db_.exec("BEGIN");
    }
    ~ReadSnapshot() {
        if (own_) {
            try {
                db_.exec("COMMIT");
            } catch (...) {
            }
        }
    }
private:
    Database& db_;
    bool own_;
};

constexpr std::int64_t kParallelFrom = 50000;  // below this a second connection costs more than it saves

}  // namespace

AuditVerification Audit::verify() {
    AuditVerification v;
    auto broken = [&v](std::int64_t seq, std::string problem) {
        if (!v.intact) return;
        v.intact = false;
        v.first_broken = seq;
        v.problem = std::move(problem);
    };
    ReadSnapshot snapshot(db_);
    auto& bounds = db_.statement("SELECT coalesce(max(seq), 0), count(*) FROM audit_entry");
    bounds.step();
    const std::int64_t max_seq = bounds.int64(0);
    bounds.reset();

    // Two halves checked at once on the two cores, each on its own connection; then joined.
    const std::string genesis = kGenesisHash;
    RangeCheck lower, upper;
    const bool split = max_seq >= kParallelFrom;
    const std::int64_t mid = split ? max_seq / 2 : max_seq;
    if (split) {
        auto file = db_.file();
        auto worker = std::async(std::launch::async, [file, mid, max_seq] {
            Database reader(file, Database::Mode::open_existing);
            reader.exec("PRAGMA cache_size = -65536");
            reader.exec("PRAGMA mmap_size = 1073741824");
            return check_range(reader, mid + 1, max_seq, nullptr);
        });
        lower = check_range(db_, 1, mid, &genesis);
        upper = worker.get();
    } else {
        lower = check_range(db_, 1, max_seq, &genesis);
    }
    if (lower.broken_seq) broken(lower.broken_seq, lower.problem);
    if (split && !upper.broken_seq && upper.first_prev != lower.last_hash)
        broken(mid + 1, "entry " + std::to_string(mid + 1) +
                            " does not follow the entry before it (an entry was removed, inserted or reordered)");
    if (split && upper.broken_seq) broken(upper.broken_seq, upper.problem);
    v.entries = lower.entries + upper.entries;
    std::string prev = split ? upper.last_hash : lower.last_hash;
    std::int64_t expected_seq = max_seq + 1;
    v.head_hash = prev;
    if (!v.intact) return v;

    const std::int64_t last = expected_seq - 1;
    auto& head = db_.statement("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head.step()) {
        broken(last + 1, "the audit head record is missing");
    } else if (head.int64(0) != last || head.text_view(1) != prev) {
        if (head.int64(0) > last)
            broken(last + 1, "the log ends at entry " + std::to_string(last) + " but its head records " +
                                 std::to_string(head.int64(0)) + " entries (entries were cut from the end)");
        else
            broken(last, "the audit head does not match entry " + std::to_string(last));
    }
    head.reset();
    if (!v.intact) return v;

    // The mirrored head may lag behind the database (a crash between commit and mirror), never lead it.
    if (auto mirror = read_sidecar(audit_head_sidecar(db_.file()))) {
        if (mirror->first > last) {
            broken(last + 1, "the log ends at entry " + std::to_string(last) + " but the head mirrored beside the "
                             "database records " + std::to_string(mirror->first) + " (entries were cut from the end)");
        } else if (mirror->first > 0) {
            auto& at = db_.statement("SELECT hash FROM audit_entry WHERE seq = ?1");
            at.bind(1, mirror->first);
            if (!at.step() || at.text_view(0) != mirror->second)
                broken(mirror->first, "entry " + std::to_string(mirror->first) +
                                          " differs from the head mirrored beside the database (the log was rewritten)");
            at.reset();
        }
    }
    return v;
}

}  // namespace consilium::decision::sqlite
