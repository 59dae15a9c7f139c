#pragma once
// The viewer's two modules: shared libraries loaded on first use, so that a program pays for VTK
// or ITK only when it renders or reads a NIfTI/NRRD/MetaImage file. Linked in, their ~150 shared
// libraries cost every start of the program ~0.1 s of dynamic linking (measured for consilium-cli:
// 138 libraries, 0.12 s of CPU before main; 41 without VTK and ITK).
//
// The modules are built from this tree by the same compiler as the programs that load them, so
// C++ types cross the boundary; exceptions do not: each entry point catches and returns the message.
#include "consilium/viewer/load.h"
#include "consilium/viewer/scene.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <string>

namespace consilium::viewer::modules {

// libconsilium-render.so: render_png() (VTK).
inline constexpr const char* kRender = "libconsilium-render.so";
inline constexpr const char* kRenderEntry = "consilium_render_png_v1";
struct RenderCall {
    std::shared_ptr<const Volume> volume;
    ViewKind kind = ViewKind::axial;
    const ViewState* state = nullptr;
    int width = 0, height = 0;
    const std::filesystem::path* out = nullptr;
};
using RenderEntry = int (*)(const RenderCall& call, std::string& error);  // 0: written

// libconsilium-volume-files.so: NIfTI, NRRD and MetaImage through ITK.
inline constexpr const char* kVolumeFiles = "libconsilium-volume-files.so";
inline constexpr const char* kVolumeFilesEntry = "consilium_load_volume_file_v1";
using VolumeFileEntry = int (*)(const std::filesystem::path& path, Volume& out, std::string& error);  // 0: loaded, 1: LoadError

// The entry point `symbol` of module `library` (found by helper_path), loaded once and never unloaded.
// Throws std::runtime_error naming the module and what the dynamic loader said.
void* entry_point(const char* library, const char* symbol);

// The file formats read through ITK, by name; inline: the module and the programs use the one list.
enum class VolumeFileFormat { none, nifti, nrrd, metaimage };
inline VolumeFileFormat volume_file_format(const std::filesystem::path& path) {
    std::string n = path.filename().string();
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto ends_with = [&](const std::string& tail) { return n.size() >= tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0; };
    if (ends_with(".nii") || ends_with(".nii.gz") || ends_with(".hdr") || ends_with(".img")) return VolumeFileFormat::nifti;
    if (ends_with(".nrrd") || ends_with(".nhdr")) return VolumeFileFormat::nrrd;
    if (ends_with(".mha") || ends_with(".mhd")) return VolumeFileFormat::metaimage;
    return VolumeFileFormat::none;
}

}  // namespace consilium::viewer::modules
