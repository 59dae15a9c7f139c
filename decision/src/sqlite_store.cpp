#include "sqlite_store.h"
#include "sqlite_measurements.h"
#include "sqlite_site_policy.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/migrations.h"

#include <fstream>

namespace consilium::decision {
namespace {

using namespace sqlite;

// Writes "seq hash" beside the database: temp file + rename, so a reader sees old or new, never half.
void mirror_head(const std::filesystem::path& sidecar, std::int64_t seq, const std::string& hash) {
    auto temp = sidecar;
    temp += ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << seq << ' ' << hash << '\n';
        if (!out) return;  // best effort: the in-database head still guards the log
    }
    std::error_code ec;
    std::filesystem::rename(temp, sidecar, ec);
}

class SqliteTransaction final : public Transaction {
public:
    SqliteTransaction(Database& db, Audit& audit) : tx_(db), db_(db), audit_(audit) { audit_.pending_head.reset(); }
    ~SqliteTransaction() override {
        if (!tx_.committed()) audit_.pending_head.reset();
    }
    void commit() override {
        tx_.commit();
        if (audit_.pending_head) {
            mirror_head(audit_head_sidecar(db_.file()), audit_.pending_head->first, audit_.pending_head->second);
            audit_.pending_head.reset();
        }
    }
private:
    WriteTransaction tx_;
    Database& db_;
    Audit& audit_;
};

class SqliteStore final : public Store {
public:
    SqliteStore(const std::filesystem::path& file, const SqliteOptions& options)
        : db_(file, options.create ? Database::Mode::create : Database::Mode::open_existing),
          patients_(db_), timeline_(db_), imaging_(db_), suggestions_(db_), plugin_states_(db_), meetings_(db_), users_(db_),
          audit_(db_), pacs_nodes_(db_), measurements_(db_), site_policy_(db_) {
        // Refuse a file that is not a database before anything writes to it.
        try {
            db_.exec("SELECT count(*) FROM sqlite_master");
        } catch (const StoreError&) {
            throw StoreError(file.string() + ": not a Consilium workspace database (not SQLite, or damaged)");
        }
        // A schema newer than this program is refused before anything (even the journal mode) is written.
        if (db_.user_version() > latest_schema_version())
            throw StoreError(file.string() + ": the workspace schema is version " + std::to_string(db_.user_version()) +
                             ", newer than this program knows (" + std::to_string(latest_schema_version()) +
                             "); use a newer Consilium");
        db_.exec("PRAGMA journal_mode = WAL");
        db_.exec("PRAGMA foreign_keys = ON");
        // A larger page cache and memory-mapped reads: timeline scans and audit verification
        // read many pages; the defaults (2 MB, no mmap) make them I/O-bound.
        db_.exec("PRAGMA cache_size = -65536");
        db_.exec("PRAGMA mmap_size = 1073741824");
        db_.exec("PRAGMA temp_store = MEMORY");
        db_.exec(options.durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        if (options.migrate) migrate(db_);
    }
    std::unique_ptr<Transaction> begin() override { return std::make_unique<SqliteTransaction>(db_, audit_); }
    PatientRepository& patients() override { return patients_; }
    TimelineRepository& timeline() override { return timeline_; }
    ImagingRepository& imaging() override { return imaging_; }
    SuggestionRepository& suggestions() override { return suggestions_; }
    UserRepository& users() override { return users_; }
    PluginStateRepository& plugin_states() override { return plugin_states_; }
    MeetingRepository& meetings() override { return meetings_; }
    PacsNodeRepository& pacs_nodes() override { return pacs_nodes_; }
    MeasurementRepository& measurements() override { return measurements_; }
    SitePolicyRepository& site_policy() override { return site_policy_; }
    AuditTrail& audit() override { return audit_; }
    int schema_version() override { return db_.user_version(); }
    std::vector<std::string> pending_repairs() override {
        std::vector<std::string> out;
        if (db_.user_version() < 9) return out;  // a store opened without migrating
        auto& s = db_.statement("SELECT name FROM pending_repair ORDER BY added_at, name");
        while (s.step()) out.push_back(s.text(0));
        s.reset();
        return out;
    }
    void finish_repair(std::string_view name) override {
        db_.statement("DELETE FROM pending_repair WHERE name = ?1").bind(1, std::string(name)).run();
    }

private:
    Database db_;
    Patients patients_;
    Timeline timeline_;
    Imaging imaging_;
    Suggestions suggestions_;
    PluginStates plugin_states_;
    Meetings meetings_;
    Users users_;
    Audit audit_;
    PacsNodes pacs_nodes_;
    Measurements measurements_;
    SitePolicy site_policy_;
};

}  // namespace

std::filesystem::path audit_head_sidecar(const std::filesystem::path& database) {
    auto p = database;
    p += ".audit-head";
    return p;
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& database, const SqliteOptions& options) {
    if (!options.create && !std::filesystem::exists(database))
        throw NotFound(database.string() + ": no such workspace database");
    return std::make_unique<SqliteStore>(database, options);
}

}  // namespace consilium::decision
