// pacs add / list / echo / query / retrieve.
//
// Retrieval into the workspace is pacs::retrieve_into_workspace (staged, checked, imported as
// `import` does, nothing partial left behind, audited), the same path the workstation takes.
#include "cmd_pacs.h"
#include "cmd_export_finding.h"

#include "commands.h"
#include "import_sources.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/pacs_nodes.h"
#include "consilium/pacs/client.h"
#include "consilium/pacs/workspace_retrieve.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
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
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::import_data);
    auto node = find_pacs_node(ws.store(), session, args.positional[1]);

    SignalGuard signals;
    pacs::WorkspaceRetrieval request;
    request.study_uid = args.positional[2];
    request.series_uid = args.value("--series").value_or("");
    request.cancel = &g_cancel;
    request.scan = scan_staged_dicom;
    const bool tty = isatty(STDERR_FILENO) == 1 && !ctx.json;
    request.progress = [&](const pacs::RetrieveProgress& p) {
        if (!tty) return;
        std::cerr << "\rReceived " << p.instances_done;
        if (p.instances_expected > 0) std::cerr << "/" << p.instances_expected;
        std::cerr << " instance(s), " << p.bytes / (1024 * 1024) << " MB   " << std::flush;
    };
    pacs::WorkspaceRetrieved got;
    try {
        got = pacs::retrieve_into_workspace(ws, session, node, request);
        if (tty) std::cerr << '\n';
    } catch (const std::exception&) {
        if (tty) std::cerr << '\n';
        throw;
    }
    const auto& imported = got.imported;
    if (ctx.json) {
        ctx.print_json({{"study_uid", request.study_uid},
                        {"node", node.name},
                        {"protocol", node.protocol},
                        {"series_uid", request.series_uid},
                        {"status", "succeeded"},
                        {"instances_received", got.received},
                        {"instances_skipped", got.skipped},
                        {"bytes", got.bytes},
                        {"duration_ms", got.duration_ms},
                        {"added", {{"patients", imported.patients_added}, {"studies", imported.studies_added},
                                   {"series", imported.series_added}, {"instances", imported.instances_added}}}});
        return 0;
    }
    std::cout << "Retrieved study " << request.study_uid << " from '" << node.name << "': " << got.received
              << " instance(s) received, " << got.skipped << " already in the workspace; " << imported.series_added
              << " new series, " << imported.instances_added << " new file(s) (" << got.duration_ms << " ms).\n";
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
