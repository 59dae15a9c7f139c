#include "consilium/viewer/load.h"

namespace consilium::viewer {

Volume load_path(const std::filesystem::path& path, const std::optional<std::string>& series_uid, const LoadOptions& options) {
    if (!std::filesystem::exists(path)) throw LoadError(path.string() + ": no such file or folder");
    if (std::filesystem::is_regular_file(path) && is_volume_file(path)) {
        Volume v = load_volume_file(path);
        if (options.statistics) *options.statistics = statistics(v);
        return v;
    }
    ScanResult scan_result = scan(path);
    std::vector<const Series*> candidates;
    for (const auto& s : scan_result.series)
        if (!series_uid || s.series_uid == *series_uid) candidates.push_back(&s);
    if (candidates.empty()) {
        if (series_uid) throw LoadError(path.string() + ": no series " + *series_uid);
        std::string why = scan_result.unreadable.empty() ? "no DICOM images found" : scan_result.unreadable.front().reason;
        throw LoadError(path.string() + ": " + why);
    }
    // Several volumes are accepted only as the time points (or parts) of one series.
    for (const auto* s : candidates)
        if (s->series_uid != candidates.front()->series_uid) {
            std::string list;
            for (const auto* c : candidates) list += "\n  " + c->series_uid + "  " + c->modality + " " + c->description;
            throw LoadError(path.string() + ": holds " + std::to_string(candidates.size()) +
                            " series; choose one with --series UID:" + list);
        }
    Volume v = load_series(scan_result, *candidates.front(), options);
    // Files of the folder that could not be read may be slices of this series: say so, by name.
    for (const auto& u : scan_result.unreadable)
        v.warnings.push_back("not loaded: " + u.path.string() + ": " + u.reason);
    if (candidates.size() > 1)
        v.warnings.push_back("loaded " + (candidates.front()->part.empty() ? std::string("the first part") : candidates.front()->part) +
                             " of " + std::to_string(candidates.size()) + " volumes in this series");
    return v;
}

}  // namespace consilium::viewer
