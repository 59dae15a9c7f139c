// Mask evidence: geometry check and keeping the file; see mask_evidence.h.
#include "mask_evidence.h"

#include "nrrd_header.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace consilium::plugins {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The mask file names of the output's evidence, each once, in order of appearance.
std::vector<std::string> mask_files(const json& output) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& s : output["suggestions"]) {
        if (!s.contains("evidence")) continue;
        for (const auto& e : s["evidence"])
            if (e["type"] == "mask" && seen.insert(e["file"].get<std::string>()).second)
                names.push_back(e["file"].get<std::string>());
    }
    return names;
}

std::string triple(const std::array<double, 3>& v) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "(%.6g, %.6g, %.6g)", v[0], v[1], v[2]);
    return buf;
}

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

// "" when the mask's geometry and data fit the volume, else what differs.
std::string compare(const NrrdHeader& h, const fs::path& file, const VolumeInput& v) {
    if (!h.integer) return "it holds floating-point voxels; a mask holds integer labels";
    if (h.sizes[0] != v.dims[0] || h.sizes[1] != v.dims[1] || h.sizes[2] != v.dims[2])
        return "its sizes " + std::to_string(h.sizes[0]) + " " + std::to_string(h.sizes[1]) + " " +
               std::to_string(h.sizes[2]) + " differ from the volume's " + std::to_string(v.dims[0]) + " " +
               std::to_string(v.dims[1]) + " " + std::to_string(v.dims[2]);
    if (distance(h.origin, v.origin_lps) > kMaskGeometryToleranceMm)
        return "its space origin " + triple(h.origin) + " differs from the volume's " + triple(v.origin_lps) + " (LPS mm)";
    static const char* axis_name[3] = {"i", "j", "k"};
    for (std::size_t a = 0; a < 3; ++a) {
        std::array<double, 3> want{};
        for (std::size_t r = 0; r < 3; ++r) want[r] = v.direction[r * 3 + a] * v.spacing_mm[a];
        // Compared at the far end of the axis, so a small error per voxel cannot add up unseen.
        const double span = std::max(1.0, static_cast<double>(v.dims[a] - 1));
        std::array<double, 3> diff{};
        for (std::size_t r = 0; r < 3; ++r) diff[r] = (h.steps[a][r] - want[r]) * span;
        if (distance(diff, {0, 0, 0}) > kMaskGeometryToleranceMm)
            return std::string("its space direction along ") + axis_name[a] + " " + triple(h.steps[a]) +
                   " differs from the volume's " + triple(want) + " (LPS mm per voxel)";
    }
    const std::uint64_t want = static_cast<std::uint64_t>(v.dims[0]) * static_cast<std::uint64_t>(v.dims[1]) *
                               static_cast<std::uint64_t>(v.dims[2]) * h.type_bytes;
    std::error_code ec;
    if (fs::file_size(file, ec) > want + h.data_offset + (1u << 20))
        return "the file is larger than its voxels can be";
    const auto have = nrrd_data_bytes(file, h, want);
    if (have > want) return "it holds more than the " + std::to_string(want) + " bytes of voxels its sizes and type need";
    if (have < want)
        return "it holds " + std::to_string(have) + " bytes of voxels where its sizes and type need " + std::to_string(want);
    return {};
}

fs::path kept_name(const fs::path& evidence_dir, std::int64_t run_id) {
    fs::path dir = evidence_dir.lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();
    return dir.filename() / ("run-" + std::to_string(run_id));
}

}  // namespace

std::string check_masks(const json& output, const fs::path& folder, const std::optional<VolumeInput>& volume) {
    const auto names = mask_files(output);
    if (names.empty()) return {};
    std::error_code ec;
    const auto root = fs::canonical(folder, ec);
    if (ec) return "mask evidence: the plugin's folder " + folder.string() + " cannot be read";
    for (const auto& name : names) {
        const std::string what = "mask evidence '" + name + "': ";
        const fs::path file = folder / name;
        const auto status = fs::symlink_status(file, ec);
        if (ec || !fs::exists(status)) return what + "no such file in the plugin's output folder";
        if (!fs::is_regular_file(status)) return what + "not a regular file";
        const auto real = fs::canonical(file, ec);
        const auto rel = real.lexically_relative(root);
        if (ec || rel.empty() || *rel.begin() == "..") return what + "lies outside the plugin's output folder";
        if (file.extension() != ".nrrd") return what + "the file must be a NRRD named *.nrrd";
        if (!volume) return what + "the run has no volume to compare the mask's geometry with";
        try {
            const auto header = read_nrrd_header(file);
            if (auto why = compare(header, file, *volume); !why.empty()) return what + why;
        } catch (const NrrdError& e) {
            return what + "not a readable NRRD mask: " + e.what();
        }
    }
    return {};
}

void keep_masks(json& output, const fs::path& folder, const fs::path& evidence_dir, std::int64_t run_id) {
    const auto names = mask_files(output);
    if (names.empty() || evidence_dir.empty()) return;
    const fs::path dir = evidence_dir / ("run-" + std::to_string(run_id));
    const fs::path stored = kept_name(evidence_dir, run_id);
    try {
        for (const auto& name : names) {
            fs::create_directories((dir / name).parent_path());
            fs::copy_file(folder / name, dir / name, fs::copy_options::overwrite_existing);
        }
    } catch (const fs::filesystem_error& e) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        throw std::runtime_error("cannot keep the mask evidence in " + dir.string() + ": " + e.what());
    }
    for (auto& s : output["suggestions"]) {
        if (!s.contains("evidence")) continue;
        for (auto& e : s["evidence"])
            if (e["type"] == "mask") e["file"] = (stored / e["file"].get<std::string>()).generic_string();
    }
}

}  // namespace consilium::plugins
