// Retrieve into a workspace: stage, check, import as `import` does, audit (see workspace_retrieve.h).
#include "consilium/text/json_text.h"
#include "consilium/pacs/workspace_retrieve.h"

#include "consilium/decision/audit.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/imaging.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <random>

namespace consilium::pacs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The file name the DICOM import gives an instance (decision's path_component rule).
std::string uid_path(const std::string& uid) {
    bool safe = !uid.empty() && uid.size() <= 128 && uid[0] != '.';
    for (char c : uid)
        safe = safe && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                        c == '_' || c == '-');
    return safe ? uid : "uid-" + decision::sha256_hex(uid).substr(0, 32);
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

}  // namespace

WorkspaceRetrieved retrieve_into_workspace(decision::Workspace& ws, const decision::Session& session,
                                           const decision::PacsNode& node, const WorkspaceRetrieval& request) {
    decision::require(session, decision::Permission::import_data);
    auto& store = ws.store();
    const auto start = std::chrono::steady_clock::now();
    auto elapsed_ms = [&] {
        return static_cast<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    };
    auto audit = [&](const json& details) {
        auto tx = store.begin();
        store.audit().append(decision::audit_record(session, "pacs.retrieve", "study", request.study_uid, text::json_text(details)));
        tx->commit();
    };

    std::random_device rd;
    Staging staging{ws.folder() / ".staging" /
                    ("pacs-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + "-" + uid_path(request.study_uid))};
    RetrieveOptions options;
    options.cancel = request.cancel;
    options.progress = request.progress;
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

    WorkspaceRetrieved out;
    try {
        auto got = connect(node, request.settings)->retrieve(request.study_uid, request.series_uid, staging.path, options);
        out.received = static_cast<int>(got.stored.size());
        out.skipped = got.skipped;
        out.bytes = got.bytes;
        for (const auto& i : got.stored)
            if (i.study_uid != request.study_uid)
                throw PacsError(PacsError::Kind::corrupt, "the node sent an instance of study " + i.study_uid + " when " +
                                                              request.study_uid + " was asked for");
        if (!got.stored.empty()) {
            // The staged files, plus the series of this study already in the workspace, so that a
            // series completed now is indexed whole.
            std::vector<fs::path> paths{staging.path};
            if (auto study = store.imaging().find_study(request.study_uid))
                for (const auto& s : store.imaging().series_of(study->id))
                    if (fs::is_directory(ws.folder() / s.folder)) paths.push_back(ws.folder() / s.folder);
            std::vector<decision::DicomStudyInput> studies;
            try {
                studies = request.scan(paths);
            } catch (const decision::InputError& e) {
                throw PacsError(PacsError::Kind::corrupt, std::string("received unusable data (") + e.what() + ")");
            }
            decision::check_dicom_import(store, studies);
            out.imported = decision::import_dicom(store, ws.folder(), session, studies);
        }
    } catch (const std::exception& e) {
        try {
            audit({{"node", node.name}, {"protocol", node.protocol}, {"series_uid", request.series_uid},
                   {"status", "failed"}, {"reason", e.what()}, {"duration_ms", elapsed_ms()}});
        } catch (const std::exception&) {
            // The original failure is what the user needs to see.
        }
        throw;
    }
    out.duration_ms = elapsed_ms();
    const auto& imported = out.imported;
    audit({{"node", node.name},
           {"protocol", node.protocol},
           {"series_uid", request.series_uid},
           {"status", "succeeded"},
           {"instances_received", out.received},
           {"instances_skipped", out.skipped},
           {"bytes", out.bytes},
           {"duration_ms", out.duration_ms},
           {"added",
            {{"patients", imported.patients_added}, {"studies", imported.studies_added},
             {"series", imported.series_added}, {"instances", imported.instances_added}}}});
    return out;
}

}  // namespace consilium::pacs
