// `export-finding SUGGESTION --out DIR` and `pacs store NAME SUGGESTION`: a reviewed image finding
// as DICOM SR (+ SEG when it has a mask) in a folder, or sent to a PACS node.
//
// Patient data leaves the workspace only this way: clinicians or admins (Permission::
// export_findings), and every export is audited - `finding.export` once the files are in place
// (the files are removed again if the entry cannot be written), `pacs.store` with what the node
// accepted; a send that failed in part is audited as failed and names what did get through.
#include "consilium/text/json_text.h"
#include "cmd_export_finding.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/pacs_nodes.h"
#include "consilium/pacs/client.h"
#include "consilium/pacs/finding_export.h"
#include "consilium/plugins/discovery.h"
#include "consilium/viewer/load.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <iostream>
#include <random>

#ifndef CONSILIUM_VERSION
#define CONSILIUM_VERSION "0.0.0"
#endif

namespace consilium::cli {
namespace {

namespace fs = std::filesystem;
using namespace consilium::decision;
using nlohmann::json;

// The plugin's name from its manifest, when it is still on the search path; else its id.
std::string algorithm_name(const Context& ctx, const fs::path& workspace, const std::string& plugin_id) {
    for (const auto& p : plugins::discover_plugins(plugins::SearchPath::standard(workspace, ctx.executable)))
        if (p.id == plugin_id && p.manifest && !p.manifest->name.empty()) return p.manifest->name;
    return plugin_id;
}

pacs::LabelMask label_mask(const fs::path& file, const std::string& who) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw NotFound(who + ": its mask " + file.string() + " is missing from the workspace");
    viewer::Volume v;
    try {
        v = viewer::load_volume_file(file);
    } catch (const std::exception& e) {
        throw InputError(who, "its mask cannot be read: " + std::string(e.what()));
    }
    pacs::LabelMask m;
    m.dims = v.dims;
    m.spacing_mm = v.spacing_mm;
    m.origin_lps = {v.origin_lps[0], v.origin_lps[1], v.origin_lps[2]};
    m.direction = v.direction;
    m.labels.resize(v.voxel_count());
    for (std::size_t i = 0; i < m.labels.size(); ++i) m.labels[i] = static_cast<std::int32_t>(v.value(i));
    return m;
}

// Everything the export needs, read from the workspace. Refusals come first, before any file is read.
pacs::FindingExportRequest prepare(const Context& ctx, Workspace& ws, std::int64_t id) {
    auto& store = ws.store();
    auto s = store.suggestions().find(id);
    if (!s) throw NotFound("suggestion " + std::to_string(id));
    const std::string who = "suggestion " + std::to_string(id);
    pacs::check_exportable(*s);
    pacs::FindingExportRequest req;
    req.suggestion = *s;
    req.software_version = CONSILIUM_VERSION;
    auto run = store.suggestions().find_run(s->run_id);
    if (!run || !run->series_uid) throw InputError(who, "it was not made on an image series");
    req.source_series_uid = *run->series_uid;
    auto series = store.imaging().find_series(req.source_series_uid);
    if (!series) throw NotFound(who + ": its series " + req.source_series_uid + " is not in the workspace");
    std::error_code ec;
    for (auto it = fs::directory_iterator(ws.folder() / series->folder, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".dcm") req.source_files.push_back(it->path());
    if (req.source_files.empty())
        throw NotFound(who + ": the images of series " + req.source_series_uid + " are missing from " +
                       (ws.folder() / series->folder).string());
    req.algorithm_name = algorithm_name(ctx, ws.folder(), s->plugin_id);
    if (auto mask = pacs::read_finding_evidence(*s).mask_file) req.mask = label_mask(ws.folder() / *mask, who);
    // The reviewer's measurements on the series travel with the finding they read it for.
    if (s->reviewed_by) req.measurements = store.measurements().of_series(req.source_series_uid, *s->reviewed_by);
    return req;
}

json object_json(const pacs::ExportedObject& o) {
    return {{"file", o.file.string()}, {"modality", o.modality}, {"sop_class_uid", o.sop_class_uid},
            {"sop_instance_uid", o.sop_instance_uid}, {"series_uid", o.series_uid}};
}

json export_json(std::int64_t id, const pacs::FindingExport& e) {
    return {{"suggestion", id},
            {"patient_id", e.patient_id},
            {"study_uid", e.study_uid},
            {"frame_of_reference_uid", e.frame_of_reference_uid},
            {"sr", object_json(e.sr)},
            {"seg", e.seg ? object_json(*e.seg) : json()},
            {"mask_label", e.mask_label ? json(e.mask_label) : json()}};
}

// UIDs only: what was sent is identified without repeating patient data in the log.
json audit_json(const pacs::FindingExport& e) {
    json j{{"study_uid", e.study_uid}, {"sr_uid", e.sr.sop_instance_uid}};
    if (e.seg) j["seg_uid"] = e.seg->sop_instance_uid;
    return j;
}

void print_objects(const pacs::FindingExport& e) {
    std::cout << "  SR  " << e.sr.file.string() << "  " << e.sr.sop_instance_uid << '\n';
    if (e.seg) std::cout << "  SEG " << e.seg->file.string() << "  " << e.seg->sop_instance_uid << '\n';
}

void audit(Store& store, const Session& session, const std::string& action, std::int64_t id, const json& details) {
    auto tx = store.begin();
    store.audit().append(audit_record(session, action, "suggestion", std::to_string(id), text::json_text(details)));
    tx->commit();
}

// Removes the staging folder however the send ends.
struct Staging {
    fs::path path;
    ~Staging() {
        std::error_code ec;
        fs::remove_all(path, ec);
        fs::remove(path.parent_path(), ec);  // .staging, when empty
    }
};

}  // namespace

int cmd_export_finding(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--out"}, {"--json"});
    if (args.positional.size() != 1) throw UsageError("export-finding needs one SUGGESTION and --out DIR");
    const auto id = suggestion_id(args.positional[0]);
    const auto out = args.value("--out");
    if (!out) throw UsageError("export-finding needs --out DIR");
    const bool as_json = ctx.json || args.flag("--json");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::export_findings);
    auto req = prepare(ctx, ws, id);
    auto done = pacs::export_finding(req, fs::absolute(*out));
    try {
        auto details = audit_json(done);
        details["out"] = fs::absolute(*out).string();
        audit(ws.store(), session, "finding.export", id, details);
    } catch (...) {
        // Unaudited, the files may not stay.
        std::error_code ec;
        fs::remove(done.sr.file, ec);
        if (done.seg) fs::remove(done.seg->file, ec);
        throw;
    }
    if (as_json) {
        ctx.print_json(export_json(id, done));
        return 0;
    }
    std::cout << "Exported suggestion " << id << " (study " << done.study_uid << "):\n";
    print_objects(done);
    return 0;
}

int pacs_store(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {}, {"--json"});
    if (args.positional.size() != 3) throw UsageError("pacs store needs a NAME and a SUGGESTION");
    const auto id = suggestion_id(args.positional[2]);
    const bool as_json = ctx.json || args.flag("--json");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::export_findings);
    auto node = find_pacs_node(ws.store(), session, args.positional[1]);
    auto req = prepare(ctx, ws, id);

    std::random_device rd;
    Staging staging{ws.folder() / ".staging" / ("store-" + std::to_string(::getpid()) + "-" + std::to_string(rd()))};
    json details{{"node", node.name}, {"protocol", node.protocol}};
    pacs::FindingExport done;
    try {
        done = pacs::export_finding(req, staging.path);
        details.update(audit_json(done));
        // The SEG first: the SR refers to it.
        std::vector<fs::path> files;
        if (done.seg) files.push_back(done.seg->file);
        files.push_back(done.sr.file);
        auto sent = pacs::connect(node)->store(files);
        details["sent"] = sent.sent;
        if (sent.sent != static_cast<int>(files.size()) || !sent.failures.empty()) {
            std::string why;
            for (const auto& f : sent.failures) why += (why.empty() ? "" : "; ") + f;
            throw pacs::PacsError(pacs::PacsError::Kind::protocol,
                                  "PACS node '" + node.name + "' took " + std::to_string(sent.sent) + " of " +
                                      std::to_string(files.size()) + " object(s): " + (why.empty() ? "no reason given" : why));
        }
    } catch (const std::exception& e) {
        try {
            details["status"] = "failed";
            details["reason"] = e.what();
            audit(ws.store(), session, "pacs.store", id, details);
        } catch (const std::exception&) {
            // The original failure is what the user needs to see.
        }
        throw;
    }
    details["status"] = "succeeded";
    audit(ws.store(), session, "pacs.store", id, details);
    if (as_json) {
        auto j = export_json(id, done);
        j["node"] = node.name;
        j["sent"] = details["sent"];
        j["sr"].erase("file");  // the staged files are gone
        if (done.seg) j["seg"].erase("file");
        ctx.print_json(j);
        return 0;
    }
    std::cout << "Sent suggestion " << id << " to PACS node '" << node.name << "' (study " << done.study_uid << "):\n";
    std::cout << "  SR  " << done.sr.sop_instance_uid << '\n';
    if (done.seg) std::cout << "  SEG " << done.seg->sop_instance_uid << '\n';
    return 0;
}

}  // namespace consilium::cli
