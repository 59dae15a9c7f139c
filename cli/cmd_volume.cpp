#include "commands.h"

#include "consilium/decision/errors.h"
#include "consilium/viewer/load.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {

// Loads one series completely and reports its geometry and value range.
int cmd_volume(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--series"});
    if (args.positional.empty())
        throw UsageError("volume needs a PATH (workspace series arrive with DICOM import into the workspace)");
    if (args.positional.size() > 1) throw UsageError("volume takes one file or folder");
    const std::string& path = args.positional[0];
    if (!std::filesystem::exists(path)) throw decision::NotFound(path + ": no such file or folder");
    viewer::Volume v;
    try {
        v = viewer::load_path(path, args.value("--series"));
    } catch (const viewer::LoadError& e) {
        throw decision::InputError("", e.what());
    }
    auto s = viewer::statistics(v);
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
