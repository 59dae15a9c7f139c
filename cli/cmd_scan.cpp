#include "commands.h"

#include "consilium/decision/errors.h"
#include "consilium/viewer/scan.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {

nlohmann::json scan_json(const viewer::ScanResult& r) {
    auto studies = nlohmann::json::array();
    for (const auto& study : r.studies) {
        auto series = nlohmann::json::array();
        for (auto i : study.series) {
            const auto& s = r.series[i];
            nlohmann::json j{{"series_uid", s.series_uid},
                             {"modality", s.modality},
                             {"description", s.description},
                             {"instances", s.slices.size()},
                             {"dims", s.dims},
                             {"spacing", s.spacing_mm},
                             {"origin", s.origin_lps},
                             {"direction", s.direction},
                             {"warnings", s.warnings}};
            if (s.number) j["number"] = *s.number;
            if (!s.part.empty()) j["part"] = s.part;
            series.push_back(std::move(j));
        }
        studies.push_back({{"study_uid", study.study_uid},
                           {"patient_id", study.patient_id},
                           {"patient_name", study.patient_name},
                           {"date", study.date},
                           {"description", study.description},
                           {"character_set", study.character_set},
                           {"warnings", study.warnings},
                           {"series", series}});
    }
    auto unreadable = nlohmann::json::array();
    for (const auto& u : r.unreadable) unreadable.push_back({{"path", u.path.string()}, {"reason", u.reason}});
    return {{"studies", studies}, {"unreadable", unreadable}};
}

// No workspace needed: a folder on disk is looked at, nothing is stored.
int cmd_scan(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {});
    const auto& path = args.at(0, "a file or folder: scan PATH");
    if (args.positional.size() > 1) throw UsageError("scan takes one file or folder");
    if (!std::filesystem::exists(path)) throw decision::NotFound(path + ": no such file or folder");
    auto result = viewer::scan(path);
    if (ctx.json) {
        ctx.print_json(scan_json(result));
        return 0;
    }
    for (const auto& study : result.studies) {
        std::cout << "Study " << study.study_uid << "  " << study.patient_name << " (" << study.patient_id << ")  "
                  << study.date << "  " << study.description << '\n';
        for (const auto& w : study.warnings) std::cout << "  warning: " << w << '\n';
        for (auto i : study.series) {
            const auto& s = result.series[i];
            std::cout << "  " << s.modality << "  " << s.description << (s.part.empty() ? "" : " [" + s.part + "]") << "  "
                      << s.slices.size() << " images  " << s.dims[0] << "x" << s.dims[1] << "x" << s.dims[2] << "  "
                      << s.spacing_mm[0] << " x " << s.spacing_mm[1] << " x " << s.spacing_mm[2] << " mm\n"
                      << "    " << s.series_uid << '\n';
            for (const auto& w : s.warnings) std::cout << "    warning: " << w << '\n';
        }
    }
    if (!result.unreadable.empty()) {
        std::cout << result.unreadable.size() << " file(s) not used:\n";
        for (const auto& u : result.unreadable) std::cout << "  " << u.path.string() << ": " << u.reason << '\n';
    }
    return 0;
}

}  // namespace consilium::cli
