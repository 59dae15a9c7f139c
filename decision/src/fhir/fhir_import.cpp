#include "consilium/decision/fhir_import.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"
#include "fhir_mapping.h"
#include "json_access.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace consilium::decision {

using fhir::Json;
using fhir::Place;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 2ull << 30;  // refuse absurd inputs before reading them

struct FileContent {
    std::string path;
    std::string sha256;
    std::vector<fhir::MappedPatient> patients;
    std::vector<fhir::MappedEvent> events;
    std::map<std::string, int> skipped_types;
    std::map<std::string, int> no_subject;
};

// 1-based line and column of a byte offset, for messages an editor can jump to.
std::string position(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
    auto last_newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    std::size_t column = last_newline == std::string::npos || offset == 0 ? offset + 1 : offset - last_newline;
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " + std::to_string(offset) + ")";
}

[[noreturn]] void syntax_error(const std::string& file, const std::string& text, const nlohmann::json::parse_error& e,
                               std::size_t base = 0) {
    std::string what = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line 1, column 2: "
    if (auto p = what.find(": "); p != std::string::npos && what.find("parse error") != std::string::npos)
        what = what.substr(what.find(": ", p + 2) == std::string::npos ? p + 2 : what.find(": ", p + 2) + 2);
    std::size_t offset = base + (e.byte > 0 ? e.byte - 1 : 0);
    throw InputError(file + ": " + position(text, offset), "not valid JSON: " + what);
}

// Sorts the resource into the file's patients, events or skipped counts.
void take_resource(FileContent& out, const Json& r, const std::string& full_url, const Place& base) {
    Place at = base;
    if (!r.is_object()) at.fail("", std::string("expected a FHIR resource (an object), found ") + fhir::type_name(r));
    auto type = fhir::string(r, "resourceType", at, "");
    if (!type || type->empty()) at.fail("resourceType", "missing: not a FHIR resource");
    auto id = fhir::string(r, "id", at, "");
    at.resource = *type + (id ? "/" + *id : "");
    auto mapped = fhir::map_resource(r, full_url, at);
    if (mapped.patient) {
        mapped.patient->patient.resource_json = text::json_text(r);
        mapped.patient->patient.content_hash = sha256_hex(*mapped.patient->patient.resource_json);
        out.patients.push_back(std::move(*mapped.patient));
    } else if (mapped.event) {
        auto& e = mapped.event->event;
        e.resource_json = text::json_text(r);
        e.content_hash = sha256_hex(*e.resource_json);
        e.source_ref = id ? *type + "/" + *id : (!full_url.empty() ? full_url : *type + "#" + *e.content_hash);
        out.events.push_back(std::move(*mapped.event));
    } else if (mapped.no_subject) {
        ++out.no_subject[mapped.skipped];
    } else {
        ++out.skipped_types[mapped.skipped];
    }
}

void take_document(FileContent& out, const Json& doc, const Place& at) {
    if (!doc.is_object()) at.fail("", std::string("expected a FHIR resource or Bundle (an object), found ") + fhir::type_name(doc));
    auto type = fhir::string(doc, "resourceType", at, "");
    if (!type) at.fail("resourceType", "missing: not a FHIR resource");
    if (*type != "Bundle") {
        take_resource(out, doc, "", at);
        return;
    }
    Place bundle_at = at;
    bundle_at.resource = "Bundle";
    auto kind = fhir::string(doc, "type", bundle_at, "");
    static const std::set<std::string> kinds = {"transaction", "batch", "collection", "searchset", "document",
                                                "message", "history", "transaction-response", "batch-response"};
    if (kind && !kinds.count(*kind)) bundle_at.fail("type", "'" + *kind + "' is not a FHIR Bundle type");
    auto entries = fhir::array(doc, "entry", bundle_at, "");
    if (!entries) return;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const Json& entry = (*entries)[i];
        Place entry_at = at;
        entry_at.locus = (at.locus.empty() ? "" : at.locus + ", ") + "entry " + std::to_string(i);
        if (!entry.is_object()) entry_at.fail("", std::string("expected a Bundle entry (an object), found ") + fhir::type_name(entry));
        auto full_url = fhir::string(entry, "fullUrl", entry_at, "").value_or("");
        auto resource = fhir::object(entry, "resource", entry_at, "");
        if (!resource) continue;  // e.g. a DELETE request in a transaction
        take_resource(out, *resource, full_url, entry_at);
    }
}

// JSON nested absurdly deep ("[[[[...") would make the parser build millions of empty
// containers before failing; real FHIR is a few dozen levels deep at most.
void check_nesting(const std::string& name, const std::string& text) {
    constexpr int kMaxDepth = 100;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth)
                throw InputError(name + ": " + position(text, i), "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '\n' && depth <= 0) {
            depth = 0;  // NDJSON: each line starts afresh
        }
    }
}

FileContent parse_file(const std::string& name, const std::string& text) {
    FileContent out;
    out.path = name;
    out.sha256 = sha256_hex(text);
    auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first == std::string::npos) throw InputError(name, "the file is empty");
    if (text[first] != '{' && text[first] != '[')
        throw InputError(name + ": " + position(text, first), "not JSON (a FHIR file starts with '{')");
    check_nesting(name, text);

    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::parse_error& whole) {
        // NDJSON: one resource per line. Only if the first line is a complete object on its own.
        auto end_first = text.find('\n', first);
        bool ndjson = false;
        if (end_first != std::string::npos) {
            try {
                ndjson = Json::parse(text.substr(first, end_first - first)).is_object();
            } catch (const Json::parse_error&) {
            }
        }
        if (!ndjson) syntax_error(name, text, whole);
        std::size_t line_start = 0, line_no = 0;
        while (line_start < text.size()) {
            auto line_end = text.find('\n', line_start);
            if (line_end == std::string::npos) line_end = text.size();
            ++line_no;
            std::string_view line(text.data() + line_start, line_end - line_start);
            if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
                Json item;
                try {
                    item = Json::parse(line);
                } catch (const Json::parse_error& e) {
                    syntax_error(name, text, e, line_start);
                }
                take_document(out, item, Place{name, "line " + std::to_string(line_no), ""});
            }
            line_start = line_end + 1;
        }
        return out;
    }
    take_document(out, doc, Place{name, "", ""});
    return out;
}

std::string read_whole(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw InputError(file.string(), "not a readable file");
    auto size = std::filesystem::file_size(file, ec);
    if (ec) throw InputError(file.string(), "cannot read: " + ec.message());
    if (size > kMaxFileBytes) throw InputError(file.string(), "too large to import (" + std::to_string(size) + " bytes)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), "cannot open for reading");
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size) throw InputError(file.string(), "read error");
    return text;
}

nlohmann::json id_list(const std::set<std::int64_t>& ids) {
    auto out = nlohmann::json::array();
    for (auto id : ids) {
        if (out.size() >= 1000) break;  // bounded: the details of one audit entry stay small
        out.push_back(id);
    }
    return out;
}

}  // namespace

struct FhirImport::State {
    Store& store;
    std::vector<FileContent> files;
};

FhirImport::FhirImport(Store& store) : state_(std::make_unique<State>(State{store, {}})) {}
FhirImport::~FhirImport() = default;

void FhirImport::read_file(const std::filesystem::path& file) {
    state_->files.push_back(parse_file(file.string(), read_whole(file)));
}

void FhirImport::read_text(const std::string& name, std::string text) {
    state_->files.push_back(parse_file(name, text));
}

void FhirImport::read_files(const std::vector<std::filesystem::path>& files, const ImportHooks& hooks) {
    std::vector<std::optional<FileContent>> parsed(files.size());
    std::vector<std::exception_ptr> errors(files.size());
    std::atomic<std::size_t> next{0}, done{0};
    auto work = [&] {
        for (std::size_t i; !hooks.cancelled() && (i = next++) < files.size();) {
            try {
                parsed[i] = parse_file(files[i].string(), read_whole(files[i]));
            } catch (...) {
                errors[i] = std::current_exception();
            }
            hooks.report(++done, files.size());
        }
    };
    const unsigned cores = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < cores && t < files.size(); ++t) helpers.emplace_back(work);
    work();
    for (auto& h : helpers) h.join();
    if (hooks.cancelled()) throw ImportCancelled();
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (errors[i]) std::rethrow_exception(errors[i]);
        state_->files.push_back(std::move(*parsed[i]));
    }
}

ImportSummary FhirImport::commit(const Session& session, const ImportHooks& hooks) {
    Store& store = state_->store;
    auto& files = state_->files;
    // Files that bring patients go first, so events in other files find them already stored.
    std::stable_sort(files.begin(), files.end(),
                     [](const FileContent& a, const FileContent& b) { return !a.patients.empty() && b.patients.empty(); });

    // --- resolve: every alias a patient of this import answers to; then every subject reference.
    std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> alias;  // -> (file, patient index)
    for (std::size_t f = 0; f < files.size(); ++f)
        for (std::size_t p = 0; p < files[f].patients.size(); ++p)
            for (const auto& a : files[f].patients[p].aliases) alias.emplace(a, std::make_pair(f, p));

    std::unordered_map<std::string, std::int64_t> stored_ref;  // subject -> existing patient id
    for (const auto& file : files) {
        for (const auto& m : file.events) {
            if (alias.count(m.subject) || stored_ref.count(m.subject)) continue;
            std::optional<Patient> existing = store.patients().find_by_source(m.subject);
            if (!existing && m.subject.rfind("urn:uuid:", 0) == 0)
                existing = store.patients().find_by_source("Patient/" + m.subject.substr(9));
            if (!existing)
                m.place.fail(m.event.resource_type == "Patient" ? "" : "subject",
                             "refers to patient '" + m.subject + "', which is neither in the imported files nor in the workspace");
            stored_ref.emplace(m.subject, existing->id);
        }
    }
    // An MRN held by a different stored patient than the one this record updates would merge two people.
    for (const auto& file : files)
        for (const auto& mp : file.patients) {
            auto by_source = mp.patient.source_ref ? store.patients().find_by_source(*mp.patient.source_ref) : std::nullopt;
            auto by_mrn = store.patients().find_by_mrn(mp.patient.mrn);
            if (by_source && by_mrn && by_source->id != by_mrn->id)
                throw InputError(file.path + " (" + *mp.patient.source_ref + ")",
                                 "its medical record number '" + mp.patient.mrn + "' belongs to another patient (id " +
                                     std::to_string(by_mrn->id) + ") in the workspace");
        }

    // --- write: one transaction per file, with its audit entry.
    if (hooks.cancelled()) throw ImportCancelled();
    ImportSummary summary;
    std::map<std::pair<std::size_t, std::size_t>, std::int64_t> stored_patient;
    for (std::size_t f = 0; f < files.size(); ++f) {
        const auto& file = files[f];
        ImportSummary delta;
        std::set<std::int64_t> touched;
        auto tx = store.begin();
        for (std::size_t p = 0; p < file.patients.size(); ++p) {
            Patient record = file.patients[p].patient;
            auto existing = store.patients().find_by_source(*record.source_ref);
            if (!existing) existing = store.patients().find_by_mrn(record.mrn);
            if (!existing) {
                record.id = store.patients().insert(record);
                ++delta.patients_added;
            } else {
                record.id = existing->id;
                if (existing->content_hash != record.content_hash) {
                    store.patients().update(record);
                    ++delta.patients_updated;
                }
            }
            stored_patient[{f, p}] = record.id;
            touched.insert(record.id);
        }
        for (const auto& m : file.events) {
            TimelineEvent e = m.event;
            auto a = alias.find(m.subject);
            e.patient_id = a != alias.end() ? stored_patient.at(a->second) : stored_ref.at(m.subject);
            auto existing = store.timeline().find_by_source(*e.source_ref);
            if (!existing) {
                store.timeline().insert(e);
                ++delta.events_added;
                touched.insert(e.patient_id);
            } else if (existing->content_hash != *e.content_hash || existing->patient_id != e.patient_id) {
                store.timeline().replace(existing->id, e);
                ++delta.events_updated;
                touched.insert(e.patient_id);
            } else {
                ++delta.events_unchanged;
            }
            ++summary.events_by_kind[std::string(to_string(e.kind))];
        }
        int skipped = 0;
        for (const auto& [type, n] : file.skipped_types) skipped += n;
        for (const auto& [type, n] : file.no_subject) skipped += n;
        nlohmann::json details{{"sha256", file.sha256},
                               {"patients", {{"in_file", file.patients.size()}, {"added", delta.patients_added},
                                             {"updated", delta.patients_updated}}},
                               {"events", {{"in_file", file.events.size()}, {"added", delta.events_added},
                                           {"updated", delta.events_updated}, {"unchanged", delta.events_unchanged}}},
                               {"skipped", skipped},
                               {"patient_ids", id_list(touched)}};
        store.audit().append(audit_record(session, "import.fhir", "file", file.path, text::json_text(details)));
        tx->commit();
        hooks.report(f + 1, files.size());

        summary.files++;
        summary.patients += static_cast<int>(file.patients.size());
        summary.events += static_cast<int>(file.events.size());
        summary.patients_added += delta.patients_added;
        summary.patients_updated += delta.patients_updated;
        summary.events_added += delta.events_added;
        summary.events_updated += delta.events_updated;
        summary.events_unchanged += delta.events_unchanged;
        for (const auto& [type, n] : file.skipped_types)
            summary.skipped.push_back({file.path, std::to_string(n) + " " + type + " resource" + (n == 1 ? "" : "s") +
                                                      " (not a timeline type)"});
        for (const auto& [type, n] : file.no_subject)
            summary.skipped.push_back({file.path, std::to_string(n) + " " + type + " resource" + (n == 1 ? "" : "s") +
                                                      " without a patient reference"});
    }
    files.clear();
    return summary;
}

std::vector<std::filesystem::path> fhir_files(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) return {path};
    std::vector<std::filesystem::path> out;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        auto ext = it->path().extension().string();
        if (ext == ".json" || ext == ".ndjson") out.push_back(it->path());
    }
    if (ec) throw InputError(path.string(), "cannot list the folder: " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace consilium::decision
