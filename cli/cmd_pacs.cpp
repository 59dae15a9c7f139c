// pacs add / list / echo / query / retrieve.
//
// Retrieval goes to a staging folder inside the workspace (<workspace>/.staging/pacs-...): every
// instance is checked as it arrives (it must parse as DICOM), and only when the whole study is
// there are the staged files imported exactly as `import` imports files (copied into images/,
// linked to the patient by PatientID, idempotent, audited `import.dicom`). A failure anywhere -
// node unreachable, server gone mid-transfer, corrupt data, cancel - removes the staging folder,
// so nothing partial is left. Instances already in the workspace are not fetched again.
#include "cmd_pacs.h"
#include "cmd_export_finding.h"

#include "commands.h"
#include "import_sources.h"

#include "consilium/decision/crypto.h"
#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/pacs_nodes.h"
#include "consilium/pacs/client.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <random>
#include <regex>

namespace consilium::cli {
namespace {

namespace fs = std::filesystem;
using namespace consilium::decision;
using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void on_signal(int) { g_cancel.store(true); }

const char* kPacsUsage =
    "pacs add NAME --dicomweb URL [--username U (password: first line of stdin) | --bearer (token: first line of stdin)]\n"
    "              [--ca-file PEM] [--insecure]\n"
    "pacs add NAME --dimse AET@HOST:PORT [--calling-aet AET]\n"
    "pacs list | pacs echo NAME | pacs query NAME [--patient-id ID] [--patient-name N] [--modality M] [--date FROM-TO]\n"
    "pacs retrieve NAME STUDY_UID [--series UID]\n"
    "pacs store NAME SUGGESTION [--json]   (a reviewed finding as DICOM SR/SEG)";

std::string first_line_of_stdin(const std::string& what, const std::string& prompt) {
    if (stdin_is_terminal()) {
        auto secret = read_secret_from_terminal(prompt);
        if (!secret || secret->empty()) throw InputError(what, "nothing entered");
        return *secret;
    }
    std::string line;
    if (!std::getline(std::cin, line) || line.empty()) throw InputError(what, "nothing on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// The file name the DICOM import gives an instance (decision's path_component rule).
std::string uid_path(const std::string& uid) {
    bool safe = !uid.empty() && uid.size() <= 128 && uid[0] != '.';
    for (char c : uid)
        safe = safe && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                        c == '_' || c == '-');
    return safe ? uid : "uid-" + sha256_hex(uid).substr(0, 32);
}

std::string iso_date(const std::string& da) {
    if (da.size() == 8 && da.find_first_not_of("0123456789") == std::string::npos)
        return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
    return da;
}

// "FROM-TO" with either side optional, each YYYYMMDD or YYYY-MM-DD; ".." also separates.
std::pair<std::string, std::string> date_range(const std::string& text) {
    static const std::regex one(R"(^(\d{4})-?(\d{2})-?(\d{2})$)");
    static const std::regex range(R"(^((?:\d{4}-?\d{2}-?\d{2})?)(?:-|\.\.)((?:\d{4}-?\d{2}-?\d{2})?)$)");
    auto compact = [](std::string d) {
        d.erase(std::remove(d.begin(), d.end(), '-'), d.end());
        return d;
    };
    std::smatch m;
    if (std::regex_match(text, m, one)) return {m[1].str() + m[2].str() + m[3].str(), m[1].str() + m[2].str() + m[3].str()};
    if (std::regex_match(text, m, range) && (m[1].length() || m[2].length())) return {compact(m[1]), compact(m[2])};
    throw UsageError("--date is FROM-TO (YYYYMMDD-YYYYMMDD; either side may be left out), not '" + text + "'");
}

json node_json(const PacsNode& n) {
    json j{{"name", n.name}, {"protocol", n.protocol}};
    if (n.protocol == "dicomweb") {
        j["url"] = n.url;
        j["auth"] = !n.bearer_token.empty() ? "bearer" : !n.username.empty() ? "basic" : "none";
        if (!n.username.empty()) j["username"] = n.username;
        j["verify_tls"] = n.verify_tls;
        if (!n.ca_file.empty()) j["ca_file"] = n.ca_file;
    } else {
        j["aet"] = n.called_aet;
        j["host"] = n.host;
        j["port"] = n.port;
        j["calling_aet"] = n.calling_aet;
    }
    j["added_by"] = n.added_by;
    j["added_at"] = n.added_at;
    return j;
}

std::string describe(const PacsNode& n) {
    if (n.protocol == "dicomweb") return n.url;
    return n.called_aet + "@" + n.host + ":" + std::to_string(n.port) + " (calling AET " + n.calling_aet + ")";
}

int pacs_add(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--dicomweb", "--dimse", "--calling-aet", "--username", "--ca-file"},
                           {"--bearer", "--insecure"});
    if (args.positional.size() != 2) throw UsageError("pacs add needs a NAME");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::manage_pacs);
    PacsNode node;
    node.name = args.positional[1];
    auto web = args.value("--dicomweb");
    auto dimse = args.value("--dimse");
    if (web.has_value() == dimse.has_value()) throw UsageError("pacs add needs exactly one of --dicomweb URL or --dimse AET@HOST:PORT");
    if (web) {
        node.protocol = "dicomweb";
        node.url = *web;
        if (args.value("--calling-aet")) throw UsageError("--calling-aet is for --dimse nodes");
        if (auto u = args.value("--username")) {
            node.username = *u;
            node.password = first_line_of_stdin("PACS node '" + node.name + "'", "Password of " + *u + " on " + node.name + ": ");
        }
        if (args.flag("--bearer")) {
            if (!node.username.empty()) throw UsageError("give --username or --bearer, not both");
            node.bearer_token = first_line_of_stdin("PACS node '" + node.name + "'", "Bearer token for " + node.name + ": ");
        }
        if (auto ca = args.value("--ca-file")) {
            std::error_code ec;
            if (!fs::is_regular_file(*ca, ec)) throw InputError(*ca, "no such CA file");
            node.ca_file = fs::absolute(*ca).string();
        }
        node.verify_tls = !args.flag("--insecure");
    } else {
        node.protocol = "dimse";
        try {
            auto a = pacs::parse_dimse_address(*dimse);
            node.called_aet = a.aet;
            node.host = a.host;
            node.port = a.port;
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        node.calling_aet = args.value("--calling-aet").value_or("CONSILIUM");
        if (args.value("--username") || args.flag("--bearer") || args.value("--ca-file") || args.flag("--insecure"))
            throw UsageError("--username, --bearer, --ca-file and --insecure are for --dicomweb nodes");
    }
    node = add_pacs_node(ws.store(), session, node);
    if (ctx.json) ctx.print_json(node_json(node));
    else std::cout << "Added PACS node '" << node.name << "': " << node.protocol << " " << describe(node) << '\n';
    return 0;
}

int pacs_list(const Context& ctx) {
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto nodes = list_pacs_nodes(ws.store(), session);
    if (ctx.json) {
        auto out = json::array();
        for (const auto& n : nodes) out.push_back(node_json(n));
        ctx.print_json(out);
        return 0;
    }
    if (nodes.empty()) std::cout << "No PACS nodes (an admin adds them with pacs add).\n";
    for (const auto& n : nodes) std::cout << n.name << "  " << n.protocol << "  " << describe(n) << '\n';
    return 0;
}

int pacs_echo(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {});
    if (args.positional.size() != 2) throw UsageError("pacs echo needs a NAME");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto node = find_pacs_node(ws.store(), session, args.positional[1]);
    auto start = std::chrono::steady_clock::now();
    pacs::connect(node)->echo();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (ctx.json) ctx.print_json({{"name", node.name}, {"ok", true}, {"ms", ms}});
    else std::cout << "PACS node '" << node.name << "' answers (" << ms << " ms).\n";
    return 0;
}

int pacs_query(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--patient-id", "--patient-name", "--modality", "--date", "--limit"});
    if (args.positional.size() != 2) throw UsageError("pacs query needs a NAME");
    pacs::StudyQuery q;
    q.patient_id = args.value("--patient-id").value_or("");
    q.patient_name = args.value("--patient-name").value_or("");
    q.modality = args.value("--modality").value_or("");
    if (auto d = args.value("--date")) std::tie(q.date_from, q.date_to) = date_range(*d);
    if (auto l = args.value("--limit")) {
        try {
            q.limit = std::stoi(*l);
        } catch (const std::exception&) {
            throw UsageError("--limit needs a number");
        }
    }
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto node = find_pacs_node(ws.store(), session, args.positional[1]);
    auto studies = pacs::connect(node)->find_studies(q);
    if (ctx.json) {
        auto out = json::array();
        for (const auto& s : studies)
            out.push_back({{"study_uid", s.study_uid},
                           {"patient_id", s.patient_id},
                           {"patient_name", s.patient_name},
                           {"date", iso_date(s.date)},
                           {"modalities", s.modalities},
                           {"description", s.description},
                           {"accession", s.accession},
                           {"series", s.series < 0 ? json() : json(s.series)},
                           {"instances", s.instances < 0 ? json() : json(s.instances)}});
        ctx.print_json(out);
        return 0;
    }
    if (studies.empty()) std::cout << "No studies found.\n";
    for (const auto& s : studies) {
        std::string mods;
        for (const auto& m : s.modalities) mods += (mods.empty() ? "" : ",") + m;
        std::cout << s.study_uid << "  " << iso_date(s.date) << "  " << s.patient_id << "  " << s.patient_name << "  "
                  << mods << "  " << s.description;
        if (s.series >= 0) std::cout << "  " << s.series << " series";
        if (s.instances >= 0) std::cout << ", " << s.instances << " instances";
        std::cout << '\n';
    }
    return 0;
}

// Removes the staging folder however the retrieve ends.
struct Staging {
    fs::path path;
    ~Staging() {
        std::error_code ec;
        fs::remove_all(path, ec);
        if (!path.empty()) fs::remove(path.parent_path(), ec);  // .staging, when empty
    }
};

struct SignalGuard {
    struct sigaction old_int {}, old_term {};
    SignalGuard() {
        g_cancel.store(false);
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
    }
    ~SignalGuard() {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGTERM, &old_term, nullptr);
    }
};

int pacs_retrieve(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--series"});
    if (args.positional.size() != 3) throw UsageError("pacs retrieve needs a NAME and a STUDY_UID");
    const std::string study_uid = args.positional[2];
    const std::string series_uid = args.value("--series").value_or("");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::import_data);
    auto node = find_pacs_node(ws.store(), session, args.positional[1]);
    auto& store = ws.store();

    std::random_device rd;
    Staging staging{ws.folder() / ".staging" /
                    ("pacs-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + "-" + uid_path(study_uid))};
    SignalGuard signals;
    pacs::RetrieveOptions options;
    options.cancel = &g_cancel;
    // An instance is held when the workspace index knows its series and the file is there.
    std::map<std::string, std::optional<fs::path>> series_folders;
    options.have = [&](const std::string& series, const std::string& sop) {
        auto it = series_folders.find(series);
        if (it == series_folders.end()) {
            std::optional<fs::path> folder;
            if (auto row = store.imaging().find_series(series)) folder = ws.folder() / row->folder;
            it = series_folders.emplace(series, folder).first;
        }
        std::error_code ec;
        return it->second && fs::is_regular_file(*it->second / (uid_path(sop) + ".dcm"), ec);
    };
    const bool tty = isatty(STDERR_FILENO) == 1 && !ctx.json;
    options.progress = [&](const pacs::RetrieveProgress& p) {
        if (!tty) return;
        std::cerr << "\rReceived " << p.instances_done;
        if (p.instances_expected > 0) std::cerr << "/" << p.instances_expected;
        std::cerr << " instance(s), " << p.bytes / (1024 * 1024) << " MB   " << std::flush;
    };

    auto start = std::chrono::steady_clock::now();
    auto elapsed_ms = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    };
    auto audit = [&](const json& details) {
        auto tx = store.begin();
        store.audit().append(audit_record(session, "pacs.retrieve", "study", study_uid, details.dump()));
        tx->commit();
    };
    pacs::RetrieveResult got;
    DicomImportSummary imported;
    try {
        got = pacs::connect(node)->retrieve(study_uid, series_uid, staging.path, options);
        if (tty) std::cerr << '\n';
        for (const auto& i : got.stored)
            if (i.study_uid != study_uid)
                throw pacs::PacsError(pacs::PacsError::Kind::corrupt, "the node sent an instance of study " + i.study_uid +
                                                                          " when " + study_uid + " was asked for");
        if (!got.stored.empty()) {
            // The staged files, plus the series of this study already in the workspace, so that a
            // series completed now is indexed whole.
            std::vector<std::string> paths{staging.path.string()};
            if (auto study = store.imaging().find_study(study_uid))
                for (const auto& s : store.imaging().series_of(study->id))
                    if (fs::is_directory(ws.folder() / s.folder)) paths.push_back((ws.folder() / s.folder).string());
            auto sources = gather_import_sources(paths);
            if (!sources.unreadable.empty())
                throw pacs::PacsError(pacs::PacsError::Kind::corrupt, "received an unusable file (" +
                                                                          sources.unreadable.front().reason + ")");
            if (!sources.fhir_files.empty()) throw pacs::PacsError(pacs::PacsError::Kind::corrupt, "received non-DICOM data");
            check_dicom_import(store, sources.dicom_studies);
            imported = import_dicom(store, ws.folder(), session, sources.dicom_studies);
        }
    } catch (const std::exception& e) {
        if (tty) std::cerr << '\n';
        try {
            audit({{"node", node.name}, {"protocol", node.protocol}, {"series_uid", series_uid}, {"status", "failed"},
                   {"reason", e.what()}, {"duration_ms", elapsed_ms()}});
        } catch (const std::exception&) {
            // The original failure is what the user needs to see.
        }
        throw;
    }
    json details{{"node", node.name},
                 {"protocol", node.protocol},
                 {"series_uid", series_uid},
                 {"status", "succeeded"},
                 {"instances_received", static_cast<int>(got.stored.size())},
                 {"instances_skipped", got.skipped},
                 {"bytes", got.bytes},
                 {"duration_ms", elapsed_ms()},
                 {"added", {{"patients", imported.patients_added}, {"studies", imported.studies_added},
                            {"series", imported.series_added}, {"instances", imported.instances_added}}}};
    audit(details);
    if (ctx.json) {
        details["study_uid"] = study_uid;
        ctx.print_json(details);
        return 0;
    }
    std::cout << "Retrieved study " << study_uid << " from '" << node.name << "': " << got.stored.size()
              << " instance(s) received, " << got.skipped << " already in the workspace; " << imported.series_added
              << " new series, " << imported.instances_added << " new file(s) (" << elapsed_ms() << " ms).\n";
    return 0;
}

}  // namespace

int cmd_pacs(const Context& ctx, const Words& words) {
    if (words.empty()) throw UsageError(std::string("pacs needs a subcommand:\n") + kPacsUsage);
    const auto& sub = words[0];
    if (sub == "add") return pacs_add(ctx, words);
    if (sub == "list") {
        if (words.size() != 1) throw UsageError("pacs list takes no arguments");
        return pacs_list(ctx);
    }
    if (sub == "echo") return pacs_echo(ctx, words);
    if (sub == "query") return pacs_query(ctx, words);
    if (sub == "retrieve") return pacs_retrieve(ctx, words);
    if (sub == "store") return pacs_store(ctx, words);  // cmd_export_finding.cpp
    throw UsageError("unknown pacs subcommand '" + sub + "':\n" + kPacsUsage);
}

}  // namespace consilium::cli
