// decision_bench: the figures of issue "Foundation" for the clinical core (see README.md here).
//
//   decision_bench [--quick]
//
// Prints one "name value unit" line per figure; lines starting with '#' are for people. --quick
// runs every phase at a tenth of its size (a smoke run). A benchmark, never part of CTest.
//
// Environment: CONSILIUM_SHARED (default ../shared from the working folder) for the shared FHIR
// data; CONSILIUM_BENCH_DIR (default the system temp folder) for the databases - a real disk, since
// durability costs are part of the figures. Generated FHIR files go to /dev/shm when present.
#include "consilium/decision/audit.h"
#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/database.h"
#include "consilium/decision/fhir_import.h"
#include "consilium/decision/migrations.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace cd = consilium::decision;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// Output and small utilities

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void figure(const std::string& name, double value, const char* unit, int decimals = 0) {
    std::printf("%s %.*f %s\n", name.c_str(), decimals, value, unit);
    std::fflush(stdout);
}

void text_figure(const std::string& name, const std::string& value) {
    std::printf("%s %s\n", name.c_str(), value.c_str());
    std::fflush(stdout);
}

[[gnu::format(printf, 1, 2)]] void comment(const char* format, ...) {
    std::fputs("# ", stdout);
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void goal(const char* what, bool met) { comment("goal %s: %s", what, met ? "met" : "NOT met"); }

// Nearest-rank percentile (p in 0..1) of the values, in the values' unit.
double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(rank, 1) - 1];
}

// A fresh folder, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir(const fs::path& parent, const std::string& prefix) {
        std::string pattern = (parent / (prefix + "XXXXXX")).string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("cannot create a folder in " + parent.string() + ": " + std::strerror(errno));
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// The type of the file system holding `path`, as /proc/mounts names it (ext4, tmpfs, xfs ...).
std::string filesystem_type(const fs::path& path) {
    std::error_code ec;
    const std::string target = fs::weakly_canonical(path, ec).string();
    std::ifstream mounts("/proc/mounts");
    std::string device, mount_point, type, rest, best_type;
    std::size_t best_length = 0;
    while (mounts >> device >> mount_point >> type && std::getline(mounts, rest)) {
        bool covers = mount_point == "/" || target == mount_point || target.rfind(mount_point + "/", 0) == 0;
        if (covers && mount_point.size() >= best_length) {
            best_length = mount_point.size();
            best_type = type;
        }
    }
    if (!best_type.empty()) return best_type;
    struct statfs st {};
    if (::statfs(path.c_str(), &st) != 0) return "unknown";
    switch (static_cast<unsigned long>(st.f_type)) {
        case 0x01021994UL: return "tmpfs";
        case 0xEF53UL: return "ext2/3/4";
        case 0x58465342UL: return "xfs";
        case 0x9123683EUL: return "btrfs";
        case 0x794C7630UL: return "overlay";
        default: return "unknown";
    }
}

std::uintmax_t folder_bytes(const fs::path& folder) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::end(it); it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

double peak_rss_mib() {
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

cd::Session bench_session() {
    cd::User user;
    user.id = 1;
    user.name = "bench";
    user.role = cd::Role::admin;
    return cd::Session{user};
}

// ---------------------------------------------------------------------------------------------
// Generated FHIR R4: one transaction Bundle per patient, vital signs mostly, some other kinds.

struct Vital {
    const char* code;
    const char* display;
    const char* unit;
    const char* ucum;
    double mean, sd;
    int decimals;
};

constexpr Vital kVitals[] = {
    {"8867-4", "Heart rate", "beats/minute", "/min", 75, 12, 0},
    {"9279-1", "Respiratory rate", "breaths/minute", "/min", 16, 3, 0},
    {"8310-5", "Body temperature", "Cel", "Cel", 36.9, 0.4, 1},
    {"59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "%", 97, 1.5, 0},
    {"29463-7", "Body weight", "kg", "kg", 78, 14, 1},
    {"8302-2", "Body height", "cm", "cm", 172, 9, 1},
    {"39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "kg/m2", 26, 4, 1},
};

struct Concept {
    const char* code;
    const char* display;
};

constexpr Concept kConditions[] = {{"38341003", "Hypertensive disorder, systemic arterial (disorder)"},
                                   {"44054006", "Diabetes mellitus type 2 (disorder)"},
                                   {"195967001", "Asthma (disorder)"},
                                   {"49436004", "Atrial fibrillation (disorder)"},
                                   {"13645005", "Chronic obstructive lung disease (disorder)"},
                                   {"84114007", "Heart failure (disorder)"}};
constexpr Concept kMedications[] = {{"314076", "lisinopril 10 MG Oral Tablet"},
                                    {"860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"},
                                    {"197361", "amlodipine 5 MG Oral Tablet"},
                                    {"259255", "atorvastatin 80 MG Oral Tablet"},
                                    {"855332", "warfarin sodium 5 MG Oral Tablet"}};
constexpr Concept kEncounterTypes[] = {{"185349003", "Encounter for check up (procedure)"},
                                       {"390906007", "Follow-up encounter (procedure)"},
                                       {"50849002", "Emergency room admission (procedure)"}};
constexpr Concept kProcedures[] = {{"29303009", "Electrocardiographic procedure"},
                                   {"73761001", "Colonoscopy"},
                                   {"430193006", "Medication Reconciliation (procedure)"}};
constexpr Concept kReports[] = {{"24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"},
                                {"58410-2", "CBC panel - Blood by Automated count"}};
constexpr const char* kFamilies[] = {"Meier", "Schmidt", "Rossi", "Dubois", "Novak", "Jensen", "Garcia", "Kowalski"};
constexpr const char* kGivens[] = {"Anna", "Marco", "Lena", "Jonas", "Sofia", "Pierre", "Eva", "Tomasz", "Ines"};

constexpr std::int64_t kSpanStart = 1420070400;  // 2015-01-01T00:00:00Z
constexpr std::int64_t kSpanSeconds = 10LL * 365 * 86400;  // ten years of history per patient

class Generator {
public:
    explicit Generator(std::uint32_t seed) : rng_(seed) {}

    // Writes one bundle per patient into `folder`; returns the files in order.
    std::vector<fs::path> write(const fs::path& folder, int patients, int events_per_patient) {
        std::vector<fs::path> files;
        std::string out;
        for (int p = 0; p < patients; ++p) {
            out.clear();
            bundle(out, p, events_per_patient);
            char name[64];
            std::snprintf(name, sizeof name, "patient-%05d.json", p);
            files.push_back(folder / name);
            std::FILE* f = std::fopen(files.back().c_str(), "wb");
            if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0)
                throw std::runtime_error("cannot write " + files.back().string());
            bytes_ += out.size();
        }
        return files;
    }
    std::uintmax_t bytes() const { return bytes_; }

private:
    std::uint32_t next() { return static_cast<std::uint32_t>(rng_()); }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint32_t>(n)); }
    double normal(double mean, double sd) { return std::normal_distribution<double>(mean, sd)(rng_); }

    std::string uuid() {
        char buf[40];
        std::uint32_t a = next(), b = next(), c = next(), d = next();
        std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%04x%08x", a, b >> 16, b & 0xfff, 0x8000 | (c >> 18),
                      c & 0xffff, d);
        return buf;
    }

    // A FHIR dateTime at UTC second `utc`, written in one of a few local offsets.
    static std::string fhir_time(std::int64_t utc, int offset_minutes) {
        std::time_t local = static_cast<std::time_t>(utc + offset_minutes * 60);
        std::tm tm{};
        gmtime_r(&local, &tm);
        char buf[48];
        int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        if (offset_minutes == 0)
            std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "Z");
        else
            std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "%c%02d:%02d", offset_minutes < 0 ? '-' : '+',
                          std::abs(offset_minutes) / 60, std::abs(offset_minutes) % 60);
        return buf;
    }

    static std::string number(double v, int decimals) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        return buf;
    }

    static void coding(std::string& out, const char* system, const char* code, const char* display) {
        out += R"({"coding":[{"system":")";
        out += system;
        out += R"(","code":")";
        out += code;
        out += R"(","display":")";
        out += display;
        out += R"("}],"text":")";
        out += display;
        out += "\"}";
    }

    static void quantity(std::string& out, const std::string& value, const char* unit, const char* ucum) {
        out += R"({"value":)";
        out += value;
        out += R"(,"unit":")";
        out += unit;
        out += R"(","system":"http://unitsofmeasure.org","code":")";
        out += ucum;
        out += "\"}";
    }

    static void entry_head(std::string& out, const std::string& id, const char* type) {
        out += R"({"fullUrl":"urn:uuid:)";
        out += id;
        out += R"(","resource":{"resourceType":")";
        out += type;
        out += R"(","id":")";
        out += id;
        out += "\"";
    }

    static void entry_tail(std::string& out, const char* type) {
        out += R"(},"request":{"method":"POST","url":")";
        out += type;
        out += "\"}}";
    }

    void bundle(std::string& out, int p, int events) {
        const std::string patient = uuid();
        const std::string subject = R"("subject":{"reference":"urn:uuid:)" + patient + "\"}";
        out += R"({"resourceType":"Bundle","type":"transaction","entry":[)";

        entry_head(out, patient, "Patient");
        char mrn[32];
        std::snprintf(mrn, sizeof mrn, "BENCH%07d", p);
        out += R"(,"identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},)"
               R"("system":"urn:oid:1.2.36.146.595.217.0.1","value":")";
        out += mrn;
        out += R"("}],"name":[{"use":"official","family":")";
        out += kFamilies[below(std::size(kFamilies))];
        out += R"(","given":[")";
        out += kGivens[below(std::size(kGivens))];
        out += R"("]}],"gender":")";
        out += below(2) ? "female" : "male";
        char birth[16];
        std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", 1930 + below(70), 1 + below(12), 1 + below(28));
        out += R"(","birthDate":")";
        out += birth;
        out += "\"";
        entry_tail(out, "Patient");

        // Times in order, as a record accumulates them.
        std::vector<std::int64_t> times(static_cast<std::size_t>(events));
        for (auto& t : times) t = kSpanStart + static_cast<std::int64_t>(next() % static_cast<std::uint32_t>(kSpanSeconds));
        std::sort(times.begin(), times.end());
        static constexpr int kOffsets[] = {0, 60, 120, -300};

        for (int i = 0; i < events; ++i) {
            const std::int64_t t = times[static_cast<std::size_t>(i)];
            const std::string when = fhir_time(t, kOffsets[below(4)]);
            const std::string id = uuid();
            out += ',';
            int pick = below(1000);
            if (pick < 860) {  // vital signs; 15% of them blood-pressure panels with two components
                entry_head(out, id, "Observation");
                out += R"(,"meta":{"profile":["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},"status":"final",)"
                       R"("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",)"
                       R"("code":"vital-signs","display":"Vital Signs"}]}],"code":)";
                if (below(100) < 15) {
                    coding(out, "http://loinc.org", "85354-9", "Blood pressure panel with all children optional");
                    out += ',' + subject + R"(,"effectiveDateTime":")" + when + R"(","issued":")" + when;
                    out += R"(","component":[{"code":)";
                    coding(out, "http://loinc.org", "8480-6", "Systolic blood pressure");
                    out += R"(,"valueQuantity":)";
                    quantity(out, number(normal(128, 15), 0), "mm[Hg]", "mm[Hg]");
                    out += R"(},{"code":)";
                    coding(out, "http://loinc.org", "8462-4", "Diastolic blood pressure");
                    out += R"(,"valueQuantity":)";
                    quantity(out, number(normal(80, 9), 0), "mm[Hg]", "mm[Hg]");
                    out += "}]";
                } else {
                    const Vital& v = kVitals[below(std::size(kVitals))];
                    coding(out, "http://loinc.org", v.code, v.display);
                    out += ',' + subject + R"(,"effectiveDateTime":")" + when + R"(","issued":")" + when;
                    out += R"(","valueQuantity":)";
                    quantity(out, number(normal(v.mean, v.sd), v.decimals), v.unit, v.ucum);
                }
                entry_tail(out, "Observation");
            } else if (pick < 910) {
                entry_head(out, id, "Encounter");
                out += R"(,"status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode",)"
                       R"("code":"AMB"},"type":[)";
                const Concept& c = kEncounterTypes[below(std::size(kEncounterTypes))];
                coding(out, "http://snomed.info/sct", c.code, c.display);
                out += "]," + subject + R"(,"period":{"start":")" + when + R"(","end":")" +
                       fhir_time(t + 1800 + below(5400), 0) + "\"}";
                entry_tail(out, "Encounter");
            } else if (pick < 940) {
                entry_head(out, id, "Condition");
                out += R"(,"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",)"
                       R"("code":"active"}]},"verificationStatus":{"coding":[{"system":)"
                       R"("http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},"code":)";
                const Concept& c = kConditions[below(std::size(kConditions))];
                coding(out, "http://snomed.info/sct", c.code, c.display);
                out += ',' + subject + R"(,"onsetDateTime":")" + when + R"(","recordedDate":")" + when + "\"";
                entry_tail(out, "Condition");
            } else if (pick < 980) {
                entry_head(out, id, "MedicationRequest");
                out += R"(,"status":"active","intent":"order","medicationCodeableConcept":)";
                const Concept& c = kMedications[below(std::size(kMedications))];
                coding(out, "http://www.nlm.nih.gov/research/umls/rxnorm", c.code, c.display);
                out += ',' + subject + R"(,"authoredOn":")" + when +
                       R"(","dosageInstruction":[{"sequence":1,"text":"1 tablet once daily"}])";
                entry_tail(out, "MedicationRequest");
            } else if (pick < 995) {
                entry_head(out, id, "Procedure");
                out += R"(,"status":"completed","code":)";
                const Concept& c = kProcedures[below(std::size(kProcedures))];
                coding(out, "http://snomed.info/sct", c.code, c.display);
                out += ',' + subject + R"(,"performedPeriod":{"start":")" + when + R"(","end":")" +
                       fhir_time(t + 900 + below(3600), 0) + "\"}";
                entry_tail(out, "Procedure");
            } else {
                entry_head(out, id, "DiagnosticReport");
                out += R"(,"status":"final","code":)";
                const Concept& c = kReports[below(std::size(kReports))];
                coding(out, "http://loinc.org", c.code, c.display);
                out += ',' + subject + R"(,"effectiveDateTime":")" + when + R"(","issued":")" + when +
                       R"(","conclusion":"Within normal limits apart from findings noted in the text.")";
                entry_tail(out, "DiagnosticReport");
            }
        }
        out += "]}\n";
    }

    std::mt19937 rng_;
    std::uintmax_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Bare inserts: the importer's timeline rows, written with nothing but prepared statements.

struct BareComponent {
    std::int64_t seq = 0;
    std::optional<std::string> system, code, display;
    std::optional<double> value_num;
    std::optional<std::string> value_text, unit;
};

struct BareRow {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    std::string kind;
    std::optional<std::string> code_system, code, display, start, end;
    std::optional<double> value_num;
    std::optional<std::string> value_text, unit, status, resource_type, source_ref, content_hash, resource_json;
    std::vector<BareComponent> components;
};

void check(sqlite3* db, int rc, const char* doing) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(doing) + ": " + sqlite3_errmsg(db));
}

void bind_text(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
    if (v)
        sqlite3_bind_text(s, i, v->data(), static_cast<int>(v->size()), SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

void bind_real(sqlite3_stmt* s, int i, const std::optional<double>& v) {
    if (v)
        sqlite3_bind_double(s, i, *v);
    else
        sqlite3_bind_null(s, i);
}

struct BareStatement {
    BareStatement(sqlite3* db, const char* sql) {
        check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr), "preparing");
    }
    ~BareStatement() { sqlite3_finalize(stmt); }
    BareStatement(const BareStatement&) = delete;
    BareStatement& operator=(const BareStatement&) = delete;
    sqlite3_stmt* stmt = nullptr;
};

struct BareResult {
    std::int64_t rows = 0;
    std::int64_t components = 0;
    double seconds = 0;  // inside the insert transactions only
};

// Copies the imported store's timeline rows into a fresh database of the same schema and
// settings, one transaction per imported file, timing only the transactions.
BareResult bare_inserts(const fs::path& imported, const fs::path& bare_file) {
    cd::Database source(imported, cd::Database::Mode::open_existing);
    // Rows per file, in commit order: each file's audit entry counts the events it added, and ids
    // are handed out in that order, so file k holds the next `added` ids.
    std::vector<std::int64_t> per_file;
    {
        auto& s = source.statement("SELECT details FROM audit_entry WHERE action = 'import.fhir' ORDER BY seq");
        while (s.step()) per_file.push_back(nlohmann::json::parse(s.text_view(0)).at("events").at("added").get<std::int64_t>());
        s.reset();
    }

    cd::Database bare(bare_file, cd::Database::Mode::create);
    bare.exec("PRAGMA journal_mode = WAL");  // as open_sqlite_store sets them
    bare.exec("PRAGMA foreign_keys = ON");
    bare.exec("PRAGMA synchronous = FULL");
    bare.exec("PRAGMA cache_size = -65536");
    bare.exec("PRAGMA mmap_size = 1073741824");
    cd::migrate(bare);
    sqlite3* db = bare.handle();
    {  // the patients, with the same ids (not timed)
        cd::WriteTransaction tx(bare);
        auto& read = source.statement(
            "SELECT id, mrn, family, given, name, birth_date, sex, source_ref, content_hash, resource_json, created_at "
            "FROM patient ORDER BY id");
        auto& write = bare.statement(
            "INSERT INTO patient(id, mrn, family, given, name, birth_date, sex, source_ref, content_hash, resource_json, "
            "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        while (read.step()) {
            write.bind(1, read.int64(0));
            for (int c = 1; c <= 10; ++c) write.bind(c + 1, read.optional_text(c));
            write.run();
        }
        read.reset();
        tx.commit();
    }

    BareStatement insert_event(db,
        "INSERT INTO timeline_event(patient_id, kind, code_system, code, display, start_time, end_time, value_num, "
        "value_text, unit, status, resource_type, source_ref, content_hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    BareStatement insert_resource(db, "INSERT INTO event_resource(event_id, resource_json) VALUES (?1, ?2)");
    BareStatement insert_component(db,
        "INSERT INTO event_component(event_id, seq, code_system, code, display, value_num, value_text, unit) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    auto& rows_sql = source.statement(
        "SELECT id, patient_id, kind, code_system, code, display, start_time, end_time, value_num, value_text, unit, "
        "status, resource_type, source_ref, content_hash, "
        "(SELECT resource_json FROM event_resource r WHERE r.event_id = timeline_event.id) FROM timeline_event WHERE id > ?1 "
        "ORDER BY id LIMIT ?2");
    auto& components_sql = source.statement(
        "SELECT event_id, seq, code_system, code, display, value_num, value_text, unit FROM event_component "
        "WHERE event_id BETWEEN ?1 AND ?2 ORDER BY event_id, seq");

    BareResult result;
    std::int64_t last_id = 0;
    std::vector<BareRow> rows;
    for (std::int64_t count : per_file) {
        if (count == 0) continue;
        // Precompute the file's rows (not timed).
        rows.clear();
        rows_sql.bind(1, last_id).bind(2, count);
        while (rows_sql.step()) {
            BareRow r;
            r.id = rows_sql.int64(0);
            r.patient_id = rows_sql.int64(1);
            r.kind = rows_sql.text(2);
            r.code_system = rows_sql.optional_text(3);
            r.code = rows_sql.optional_text(4);
            r.display = rows_sql.optional_text(5);
            r.start = rows_sql.optional_text(6);
            r.end = rows_sql.optional_text(7);
            r.value_num = rows_sql.optional_real(8);
            r.value_text = rows_sql.optional_text(9);
            r.unit = rows_sql.optional_text(10);
            r.status = rows_sql.optional_text(11);
            r.resource_type = rows_sql.optional_text(12);
            r.source_ref = rows_sql.optional_text(13);
            r.content_hash = rows_sql.optional_text(14);
            r.resource_json = rows_sql.optional_text(15);
            rows.push_back(std::move(r));
        }
        rows_sql.reset();
        if (rows.empty()) break;
        last_id = rows.back().id;
        components_sql.bind(1, rows.front().id).bind(2, rows.back().id);
        std::size_t at = 0;
        while (components_sql.step()) {
            std::int64_t event = components_sql.int64(0);
            while (at < rows.size() && rows[at].id < event) ++at;
            if (at == rows.size()) break;
            rows[at].components.push_back({components_sql.int64(1), components_sql.optional_text(2),
                                           components_sql.optional_text(3), components_sql.optional_text(4),
                                           components_sql.optional_real(5), components_sql.optional_text(6),
                                           components_sql.optional_text(7)});
        }
        components_sql.reset();

        // The timed part: one transaction, the rows and their components.
        auto t0 = Clock::now();
        check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
        sqlite3_stmt* e = insert_event.stmt;
        sqlite3_stmt* c = insert_component.stmt;
        for (const auto& r : rows) {
            sqlite3_bind_int64(e, 1, r.patient_id);
            sqlite3_bind_text(e, 2, r.kind.data(), static_cast<int>(r.kind.size()), SQLITE_STATIC);
            bind_text(e, 3, r.code_system);
            bind_text(e, 4, r.code);
            bind_text(e, 5, r.display);
            bind_text(e, 6, r.start);
            bind_text(e, 7, r.end);
            bind_real(e, 8, r.value_num);
            bind_text(e, 9, r.value_text);
            bind_text(e, 10, r.unit);
            bind_text(e, 11, r.status);
            bind_text(e, 12, r.resource_type);
            bind_text(e, 13, r.source_ref);
            bind_text(e, 14, r.content_hash);
            check(db, sqlite3_step(e), "inserting an event");
            sqlite3_reset(e);
            const std::int64_t id = sqlite3_last_insert_rowid(db);
            if (r.resource_json) {
                sqlite3_bind_int64(insert_resource.stmt, 1, id);
                bind_text(insert_resource.stmt, 2, r.resource_json);
                check(db, sqlite3_step(insert_resource.stmt), "inserting a resource");
                sqlite3_reset(insert_resource.stmt);
            }
            if (r.components.empty()) continue;
            for (const auto& k : r.components) {
                sqlite3_bind_int64(c, 1, id);
                sqlite3_bind_int64(c, 2, k.seq);
                bind_text(c, 3, k.system);
                bind_text(c, 4, k.code);
                bind_text(c, 5, k.display);
                bind_real(c, 6, k.value_num);
                bind_text(c, 7, k.value_text);
                bind_text(c, 8, k.unit);
                check(db, sqlite3_step(c), "inserting a component");
                sqlite3_reset(c);
            }
            result.components += static_cast<std::int64_t>(r.components.size());
        }
        check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
        result.seconds += seconds_since(t0);
        result.rows += static_cast<std::int64_t>(rows.size());
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: FHIR import, through FhirImport and as bare inserts of the same rows.

struct ImportRun {
    std::unique_ptr<cd::Store> store;  // kept for the query phase
    fs::path database;
    bool ok = false;
};

ImportRun import_figures(const std::string& name, const std::vector<fs::path>& files, const fs::path& db_dir) {
    ImportRun run;
    run.database = db_dir / (name + ".db");
    run.store = cd::open_sqlite_store(run.database, {.create = true});  // durable, as a workspace is

    const auto session = bench_session();
    auto t0 = Clock::now();
    double read_seconds = 0;
    cd::ImportSummary summary;
    {
        cd::FhirImport import(*run.store);
        import.read_files(files);
        read_seconds = seconds_since(t0);
        summary = import.commit(session);
    }
    const double seconds = seconds_since(t0);
    const double rate = summary.events / seconds;
    comment("%s: %d files, %d patients, %d events (%d added) in %.2f s: read+parse %.2f s, write %.2f s", name.c_str(),
            summary.files, summary.patients, summary.events, summary.events_added, seconds, read_seconds,
            seconds - read_seconds);
    figure(name + "_events", summary.events, "events");
    figure(name + "_read_seconds", read_seconds, "s", 3);
    figure(name + "_write_seconds", seconds - read_seconds, "s", 3);
    figure(name + "_rate", rate, "events/s");

    const fs::path bare_file = db_dir / (name + "-bare.db");
    BareResult bare = bare_inserts(run.database, bare_file);
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(fs::path(bare_file.string() + suffix));
    const double bare_rate = bare.rows / bare.seconds;
    comment("%s bare: %lld rows + %lld components in %.2f s", name.c_str(), static_cast<long long>(bare.rows),
            static_cast<long long>(bare.components), bare.seconds);
    figure(name + "_bare_rate", bare_rate, "rows/s");
    figure(name + "_ratio", rate / bare_rate, "import/bare", 3);
    goal("import/bare >= 0.5", rate / bare_rate >= 0.5);
    run.ok = true;
    return run;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: timeline queries of one patient.

std::string day(std::int64_t utc) {
    std::time_t t = static_cast<std::time_t>(utc);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

void query_figures(cd::Store& store, int queries) {
    auto patients = store.patients().list();
    if (patients.empty()) throw std::runtime_error("no patients to query");
    const cd::Patient& patient = patients[patients.size() / 2];
    comment("patient %lld (%s) with %lld events, in a store of %zu patients", static_cast<long long>(patient.id),
            patient.mrn.c_str(), static_cast<long long>(patient.event_count), patients.size());
    figure("timeline_query_patient_events", static_cast<double>(patient.event_count), "events");

    constexpr cd::EventKind kinds[] = {cd::EventKind::observation, cd::EventKind::encounter, cd::EventKind::medication,
                                       cd::EventKind::condition, cd::EventKind::procedure, cd::EventKind::report};
    constexpr const char* kMix[] = {"all", "kind", "range"};
    std::mt19937 rng(20240611);
    auto make_filter = [&](int type) {
        cd::TimelineFilter f;
        if (type == 1) {
            f.kinds = {kinds[rng() % std::size(kinds)]};
        } else if (type == 2) {  // a year's window
            std::int64_t from = kSpanStart + static_cast<std::int64_t>(rng() % static_cast<std::uint32_t>(9 * 365)) * 86400;
            f.from = day(from);
            f.to = day(from + 365 * 86400);
        }
        return f;
    };
    for (int i = 0; i < 5; ++i) store.timeline().events(patient.id, make_filter(i % 3));  // warm-up, not counted

    std::vector<double> all_ms, by_type_ms[3];
    std::int64_t rows[3] = {0, 0, 0};
    for (int i = 0; i < queries; ++i) {
        const int type = i % 3;
        const auto filter = make_filter(type);
        auto t0 = Clock::now();
        auto events = store.timeline().events(patient.id, filter);
        const double ms = seconds_since(t0) * 1000.0;
        all_ms.push_back(ms);
        by_type_ms[type].push_back(ms);
        rows[type] += static_cast<std::int64_t>(events.size());
    }
    for (int type = 0; type < 3; ++type) {
        auto n = static_cast<double>(by_type_ms[type].size());
        comment("filter %-5s: %zu queries, %.0f events each on average, p50 %.3f ms, p95 %.3f ms", kMix[type],
                by_type_ms[type].size(), static_cast<double>(rows[type]) / n, percentile(by_type_ms[type], 0.5),
                percentile(by_type_ms[type], 0.95));
        figure(std::string("timeline_query_") + kMix[type] + "_p95", percentile(by_type_ms[type], 0.95), "ms", 3);
    }
    figure("timeline_query_p50", percentile(all_ms, 0.5), "ms", 3);
    figure("timeline_query_p95", percentile(all_ms, 0.95), "ms", 3);
    goal("timeline query p95 <= 10 ms", percentile(all_ms, 0.95) <= 10.0);
}

// ---------------------------------------------------------------------------------------------
// Phase 3: one durable, review-sized transaction.

void durable_figures(const fs::path& db_dir, int iterations) {
    const fs::path file = db_dir / "durable.db";
    const std::string fs_type = filesystem_type(db_dir);
    comment("durable transactions on %s (file system %s), synchronous=FULL, WAL", db_dir.c_str(), fs_type.c_str());
    text_figure("durable_tx_filesystem", fs_type + " " + db_dir.string());
    auto store = cd::open_sqlite_store(file, {.create = true, .durable = true});
    std::int64_t patient_id = 0;
    {
        auto tx = store->begin();
        cd::Patient p;
        p.mrn = "DURABLE-1";
        p.family = "Bench";
        p.given = "Durable";
        p.name = "Durable Bench";
        p.source_ref = "Patient/durable-1";
        patient_id = store->patients().insert(p);
        tx->commit();
    }
    auto one = [&](int i) {
        auto tx = store->begin();
        cd::TimelineEvent e;
        e.patient_id = patient_id;
        e.kind = cd::EventKind::review;
        e.code = {"http://consilium.example/review", "accepted", "Suggestion accepted"};
        e.start = cd::utc_now();
        e.value_text = "accepted";
        e.status = "final";
        e.resource_type = "Review";
        e.source_ref = "Review/bench-" + std::to_string(i);
        e.content_hash = cd::sha256_hex(*e.source_ref);
        auto id = store->timeline().insert(e);
        char details[200];
        std::snprintf(details, sizeof details,
                      R"({"decision":"accepted","event_id":%lld,"patient_id":%lld,"plugin":"cxr-triage",)"
                      R"("plugin_version":"1.4.2","suggestion_id":%d})",
                      static_cast<long long>(id), static_cast<long long>(patient_id), i);
        store->audit().append({"bench", "radiologist", "suggestion.review", "suggestion", std::to_string(i), details});
        tx->commit();
    };
    for (int i = 0; i < 5; ++i) one(-1 - i);  // warm-up: creates the WAL, not counted
    std::vector<double> ms;
    for (int i = 0; i < iterations; ++i) {
        auto t0 = Clock::now();
        one(i);
        ms.push_back(seconds_since(t0) * 1000.0);
    }
    figure("durable_tx_p50", percentile(ms, 0.5), "ms", 3);
    figure("durable_tx_p95", percentile(ms, 0.95), "ms", 3);
    goal("durable transaction p50 <= 5 ms", percentile(ms, 0.5) <= 5.0);
}

// ---------------------------------------------------------------------------------------------
// Phase 4: audit verification over a long trail.

void audit_figures(const fs::path& db_dir, std::int64_t entries) {
    auto store = cd::open_sqlite_store(db_dir / "audit.db", {.create = true, .durable = false});
    struct Person {
        const char* name;
        const char* role;
    };
    constexpr Person people[] = {{"dr.meier", "physician"}, {"dr.rossi", "radiologist"}, {"dr.novak", "radiologist"},
                                 {"dr.jensen", "physician"}, {"admin", "admin"},         {"dev.garcia", "developer"}};
    constexpr const char* workstations[] = {"ws-rad-01", "ws-rad-03", "ws-icu-02", "ws-onc-07"};
    std::mt19937 engine(4242);
    auto rng = [&engine] { return static_cast<unsigned>(engine()); };
    std::uintmax_t details_bytes = 0;
    auto t0 = Clock::now();
    constexpr std::int64_t kBatch = 10000;
    char details[320];
    for (std::int64_t done = 0; done < entries;) {
        auto tx = store->begin();
        for (std::int64_t i = 0; i < kBatch && done < entries; ++i, ++done) {
            const Person& who = people[rng() % std::size(people)];
            const unsigned patient = 1 + rng() % 5000;
            const char* action = "patient.open";
            const char* object_type = "patient";
            std::string object_id = std::to_string(patient);
            switch (rng() % 4) {
                case 0:
                    std::snprintf(details, sizeof details,
                                  R"({"patient_id":%u,"reason":"timeline review","view":"timeline","workstation":"%s"})",
                                  patient, workstations[rng() % std::size(workstations)]);
                    break;
                case 1:
                    action = "suggestion.review";
                    object_type = "suggestion";
                    object_id = std::to_string(done);
                    std::snprintf(details, sizeof details,
                                  R"({"decision":"%s","patient_id":%u,"plugin":"cxr-triage","plugin_version":"1.4.2",)"
                                  R"("reason_code":"%s","suggestion_id":%lld})",
                                  rng() % 3 ? "accepted" : "rejected", patient, rng() % 2 ? "clinically-wrong" : "none",
                                  static_cast<long long>(done));
                    break;
                case 2:
                    action = "plugin.run";
                    object_type = "plugin";
                    object_id = "cxr-triage";
                    std::snprintf(details, sizeof details,
                                  R"({"duration_ms":%u,"inputs_hash":"%08x%08x%08x%08x","patient_id":%u,"run_id":%lld,)"
                                  R"("status":"succeeded"})",
                                  200 + rng() % 5000, rng(), rng(), rng(), rng(), patient,
                                  static_cast<long long>(done));
                    break;
                default:
                    action = "timeline.view";
                    std::snprintf(details, sizeof details,
                                  R"({"filter":{"from":"2019-01-01","kinds":["observation"],"to":"2024-12-31"},)"
                                  R"("patient_id":%u,"shown":%u})",
                                  patient, rng() % 10000);
            }
            details_bytes += std::strlen(details);
            store->audit().append({who.name, who.role, action, object_type, object_id, details});
        }
        tx->commit();
    }
    const double append_seconds = seconds_since(t0);
    comment("appended %lld entries in %.2f s (details %.0f bytes on average); database %.0f MiB",
            static_cast<long long>(entries), append_seconds,
            static_cast<double>(details_bytes) / static_cast<double>(entries),
            static_cast<double>(folder_bytes(db_dir)) / (1024.0 * 1024.0));
    figure("audit_append_rate", static_cast<double>(entries) / append_seconds, "entries/s");

    double best = 1e300;
    for (int round = 0; round < 3; ++round) {
        auto t1 = Clock::now();
        auto v = store->audit().verify();
        const double s = seconds_since(t1);
        if (!v.intact || v.entries != entries)
            throw std::runtime_error("audit verification failed: " + v.problem + " (" + std::to_string(v.entries) +
                                     " entries)");
        comment("verify round %d: %.3f s", round + 1, s);
        best = std::min(best, s);
    }
    figure("audit_verify_entries", static_cast<double>(entries), "entries");
    figure("audit_verify_rate", static_cast<double>(entries) / best, "entries/s");
    goal("audit verify >= 1000000 entries/s", static_cast<double>(entries) / best >= 1e6);
}

// ---------------------------------------------------------------------------------------------

double cpu_seconds() {
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs one phase unless another was asked for, printing its wall and CPU time (on a shared machine
// wall time well above CPU time means waiting: for the disk, or for a core); a failure is reported
// and the next phase still runs.
std::string g_only;

bool phase(const char* name, const std::function<void()>& body) {
    if (!g_only.empty() && g_only != name) return false;
    comment("--- %s", name);
    auto t0 = Clock::now();
    const double cpu0 = cpu_seconds();
    bool ok = true;
    try {
        body();
    } catch (const std::exception& e) {
        text_figure(std::string(name) + "_error", std::string("failed: ") + e.what());
        ok = false;
    }
    figure(std::string("phase_") + name + "_wall", seconds_since(t0), "s", 2);
    figure(std::string("phase_") + name + "_cpu", cpu_seconds() - cpu0, "s", 2);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--quick") {
            quick = true;
        } else if (arg == "--phase" && i + 1 < argc) {
            g_only = argv[++i];  // for profiling: fhir_import_shared, fhir_import_generated, timeline_query,
                                 // durable_tx or audit_verify (timeline_query imports the generated set first)
        } else {
            std::fprintf(stderr, "usage: %s [--quick] [--phase NAME]\n", argv[0]);
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (!g_only.empty() && g_only != "fhir_import_shared" && g_only != "fhir_import_generated" &&
        g_only != "timeline_query" && g_only != "durable_tx" && g_only != "audit_verify") {
        std::fprintf(stderr, "%s: unknown phase '%s'\n", argv[0], g_only.c_str());
        return 2;
    }
    const int scale = quick ? 10 : 1;
    const int patients = 100 / scale;
    const int events_per_patient = 10000;
    const int queries = 1000 / scale;
    const int durable_iterations = 500 / scale;
    const std::int64_t audit_entries = 1000000 / scale;

    const char* shared_env = std::getenv("CONSILIUM_SHARED");
    const fs::path shared = shared_env && *shared_env ? fs::path(shared_env) : fs::current_path().parent_path() / "shared";
    const char* bench_env = std::getenv("CONSILIUM_BENCH_DIR");
    const fs::path db_parent = bench_env && *bench_env ? fs::path(bench_env) : fs::temp_directory_path();
    const fs::path data_parent = fs::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0
                                     ? fs::path("/dev/shm")
                                     : fs::temp_directory_path();

    comment("decision_bench: figures for issue \"Foundation\" (one \"name value unit\" line each)");
    comment("mode %s, SQLite %s, started %s", quick ? "quick (1/10 sizes)" : "full", sqlite3_libversion(),
            consilium::decision::utc_now().c_str());
    comment("databases in %s (%s), generated FHIR in %s (%s)", db_parent.c_str(), filesystem_type(db_parent).c_str(),
            data_parent.c_str(), filesystem_type(data_parent).c_str());
    const auto start = Clock::now();

    try {
        TempDir db_root(db_parent, "consilium-bench-");

        phase("fhir_import_shared", [&] {
            const fs::path folder = shared / "data" / "fhir";
            std::vector<fs::path> files;
            if (fs::is_directory(folder))
                for (const auto& f : cd::fhir_files(folder))
                    if (f.extension() == ".json") files.push_back(f);
            if (files.empty()) {
                comment("no *.json under %s", folder.c_str());
                text_figure("fhir_import_shared_rate", "skipped: shared data absent");
                return;
            }
            TempDir dir(db_root.path(), "shared-");
            import_figures("fhir_import_shared", files, dir.path());
        });

        TempDir generated_db(db_root.path(), "generated-");
        ImportRun generated;
        const std::string only = g_only;
        if (only == "timeline_query") g_only.clear();
        phase("fhir_import_generated", [&] {
            TempDir data(data_parent, "consilium-bench-fhir-");
            auto t0 = Clock::now();
            Generator gen(12345);
            auto files = gen.write(data.path(), patients, events_per_patient);
            comment("generated %d bundles, %lld events, %.0f MiB in %.2f s", patients,
                    static_cast<long long>(patients) * events_per_patient,
                    static_cast<double>(gen.bytes()) / (1024.0 * 1024.0), seconds_since(t0));
            generated = import_figures("fhir_import_generated", files, generated_db.path());
        });

        g_only = only;
        phase("timeline_query", [&] {
            if (!generated.ok) throw std::runtime_error("needs the generated import, which failed");
            query_figures(*generated.store, queries);
        });
        generated.store.reset();

        phase("durable_tx", [&] {
            TempDir dir(db_root.path(), "durable-");
            durable_figures(dir.path(), durable_iterations);
        });

        phase("audit_verify", [&] {
            TempDir dir(db_root.path(), "audit-");
            audit_figures(dir.path(), audit_entries);
        });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "decision_bench: %s\n", e.what());
        return 1;
    }

    figure("peak_rss", peak_rss_mib(), "MiB", 1);
    figure("total_wall", seconds_since(start), "s", 2);
    return 0;
}
