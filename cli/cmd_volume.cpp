#include "commands.h"
#include "workspace_series.h"

#include "consilium/decision/errors.h"
#include "consilium/viewer/load.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {
namespace {

// The statistics come with the load: the decoder workers total the slices they write.
viewer::Volume load(const std::filesystem::path& path, const std::optional<std::string>& series_uid,
                    viewer::VolumeStatistics& statistics) {
    viewer::LoadOptions options;
    options.statistics = &statistics;
    try {
        return viewer::load_path(path, series_uid, options);
    } catch (const viewer::LoadError& e) {
        throw decision::InputError("", e.what());
    }
}

}  // namespace

// Loads one series completely and reports its geometry and value range: a file or folder (no
// workspace needed), or with no PATH the workspace's series named by --series.
int cmd_volume(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--series"});
    if (args.positional.size() > 1) throw UsageError("volume takes one file or folder");
    viewer::Volume v;
    viewer::VolumeStatistics s;
    if (args.positional.empty()) {
        auto uid = args.value("--series");
        if (!uid) throw UsageError("volume needs a PATH, or --series UID for a series of the workspace");
        v = load(open_workspace_series(ctx, *uid), *uid, s);
    } else {
        const std::string& path = args.positional[0];
        if (!std::filesystem::exists(path)) throw decision::NotFound(path + ": no such file or folder");
        v = load(path, args.value("--series"), s);
    }
    nlohmann::json out{{"series_uid", v.series_uid},
                       {"modality", v.modality},
                       {"description", v.description},
                       {"dims", v.dims},
                       {"spacing", v.spacing_mm},
                       {"origin", v.origin_lps},
                       {"direction", v.direction},
                       {"pixel_type", viewer::to_string(v.pixel_type)},
                       {"min", s.min},
                       {"max", s.max},
                       {"mean", s.mean},
                       {"warnings", v.warnings}};
    if (ctx.json) {
        ctx.print_json(out);
    } else {
        std::cout << v.dims[0] << " x " << v.dims[1] << " x " << v.dims[2] << " voxels of " << v.spacing_mm[0] << " x "
                  << v.spacing_mm[1] << " x " << v.spacing_mm[2] << " mm (" << viewer::to_string(v.pixel_type)
                  << "), origin (LPS mm) " << v.origin_lps[0] << ", " << v.origin_lps[1] << ", " << v.origin_lps[2]
                  << "\nvalues " << s.min << " .. " << s.max << ", mean " << s.mean << '\n';
        for (const auto& w : v.warnings) std::cout << "warning: " << w << '\n';
    }
    return 0;
}

}  // namespace consilium::cli
